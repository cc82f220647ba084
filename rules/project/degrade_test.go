package project

import "testing"

func TestMisspeltServices(t *testing.T) {
	for k, want := range map[string]bool{
		"service": true, "sevices": true, "servcies": true, "servicess": true, "Services": true,
		"services": false, "volumes": false, "serv": false, "x-services": false, "servers": false,
	} {
		if got := misspeltServices(k); got != want {
			t.Errorf("misspeltServices(%q) = %v, want %v", k, got, want)
		}
	}
}

// A service name may contain dots: the longest service that prefixes the
// path is the one cut from.
func TestCutPathDottedServiceName(t *testing.T) {
	f := &File{}
	l := &projectLoader{raw: map[*File]map[string]any{f: {
		"services": map[string]any{
			"peer0":                  map[string]any{"image": "a"},
			"peer0.org1.example.com": map[string]any{"image": "b", "deploy": map[string]any{"restart_policy": "x"}},
		},
	}}}
	if !l.cut("services.peer0.org1.example.com.deploy.restart_policy must be a mapping") {
		t.Fatal("nothing cut")
	}
	svc := l.raw[f]["services"].(map[string]any)
	if d := svc["peer0.org1.example.com"].(map[string]any)["deploy"].(map[string]any); len(d) != 0 {
		t.Errorf("restart_policy not cut: %v", d)
	}
	if _, ok := svc["peer0"].(map[string]any)["image"]; !ok {
		t.Error("peer0 was cut")
	}
	if l.cut("services.nosuch.image must be a string") {
		t.Error("cut reports a cut for a service that is not there")
	}
}
