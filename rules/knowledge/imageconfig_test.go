package knowledge

import (
	"reflect"
	"testing"
)

func TestStateVolumes(t *testing.T) {
	c := &ImageConfig{Volumes: []string{
		"/var/lib/app", "/data/", "/var/log/app", "/app/logs", "/var/cache/nginx", "/tmp", "/run/app",
		"/var/run/docker.sock", "/home/app/.cache", "/srv/app.pid", "relative", "${DATA}", "/proc/x",
		"/var/lib/runner", "/backup", "/certs",
	}}
	state, skipped := c.StateVolumes()
	if want := []string{"/var/lib/app", "/data", "/var/lib/runner", "/backup", "/certs"}; !reflect.DeepEqual(state, want) {
		t.Errorf("state = %q, want %q", state, want)
	}
	if want := []string{"/var/log/app", "/app/logs", "/var/cache/nginx", "/tmp", "/run/app", "/var/run/docker.sock", "/home/app/.cache", "/srv/app.pid", "/proc/x"}; !reflect.DeepEqual(skipped, want) {
		t.Errorf("skipped = %q, want %q", skipped, want)
	}
}

func TestFromImageConfig(t *testing.T) {
	if img := FromImageConfig("acme/app:1", &ImageConfig{Volumes: []string{"/var/log"}}); img != nil {
		t.Errorf("an image whose only volume is logs made an entry: %+v", img)
	}
	img := FromImageConfig("docker.io/acme/app:1", &ImageConfig{Volumes: []string{"/data", "/tmp"}})
	if img == nil || img.Stateful != Stateful || len(img.DataPaths) != 1 || !reflect.DeepEqual(img.DataPaths[0], DataPath{Path: "/data", VolumeDeclared: true}) {
		t.Fatalf("entry = %+v", img)
	}
	if img.Images[0] != "acme/app" {
		t.Errorf("Images = %q", img.Images)
	}
}

type fakeConfigs map[string]*ImageConfig

func (f fakeConfigs) ImageConfig(ref string) (*ImageConfig, bool) { c, ok := f[ref]; return c, ok }

func TestWithImageConfigsSurvivesWith(t *testing.T) {
	src := fakeConfigs{}
	k := Default().WithImageConfigs(src).With([]Image{{Images: []string{"acme/*"}}}, nil)
	if k.ImageConfigs() == nil {
		t.Error("With dropped the image config source")
	}
	if Default().ImageConfigs() != nil {
		t.Error("the default knowledge reads image configs")
	}
}
