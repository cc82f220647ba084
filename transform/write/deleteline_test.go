package write

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestDeleteLine(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "db.env")
	orig := "# db settings\r\nDB_USER=app\r\nDB_PASSWORD=s3cret\r\n# end\r\n"
	if err := os.WriteFile(path, []byte(orig), 0o640); err != nil {
		t.Fatal(err)
	}
	changed, err := DeleteLine(root, path, "DB_PASSWORD=s3cret\r\n")
	if err != nil || !changed {
		t.Fatalf("changed=%v err=%v", changed, err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "# db settings\r\nDB_USER=app\r\n# end\r\n" {
		t.Errorf("content = %q", got)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", st.Mode().Perm())
	}
	// Already gone: nothing to do.
	if changed, err := DeleteLine(root, path, "DB_PASSWORD=s3cret\r\n"); err != nil || changed {
		t.Errorf("second delete: changed=%v err=%v", changed, err)
	}
	// Twice: refuse, change nothing.
	twice := "A=1\nA=1\n"
	if err := os.WriteFile(path, []byte(twice), 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := DeleteLine(root, path, "A=1\n"); !errors.Is(err, ErrAmbiguous) {
		t.Errorf("err = %v, want ErrAmbiguous", err)
	}
	if got, _ := os.ReadFile(path); string(got) != twice {
		t.Error("an ambiguous delete changed the file")
	}
	// Outside the root: refused.
	other := filepath.Join(t.TempDir(), "x.env")
	if err := os.WriteFile(other, []byte("A=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := DeleteLine(root, other, "A=1\n"); !errors.Is(err, ErrOutside) {
		t.Errorf("outside root: err = %v, want ErrOutside", err)
	}
	// Through a symlink that leaves the root: refused, the target kept.
	link := filepath.Join(root, "link.env")
	if err := os.Symlink(other, link); err != nil {
		t.Skipf("symlink: %v", err)
	}
	if _, err := DeleteLine(root, link, "A=1\n"); !errors.Is(err, ErrOutside) {
		t.Errorf("symlink out of the root: err = %v, want ErrOutside", err)
	}
	if got, _ := os.ReadFile(other); string(got) != "A=1\n" {
		t.Errorf("the file outside the root was changed: %q", got)
	}
}
