package knowledge

import (
	"reflect"
	"testing"
)

func TestParseDockerfileVolumes(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"json form", "FROM alpine\nVOLUME [\"/a\", \"/b\"]\n", []string{"/a", "/b"}},
		{"plain form", "FROM alpine\nVOLUME /a /b\n", []string{"/a", "/b"}},
		{"lowercase instruction", "from alpine\nvolume /data\n", []string{"/data"}},
		{"mixed case, tab", "From alpine\nVolume\t/data\n", []string{"/data"}},
		{"continuation", "FROM alpine\nVOLUME /a \\\n    /b \\\n    /c\n", []string{"/a", "/b", "/c"}},
		{"continuation json", "FROM alpine\nVOLUME [\"/a\", \\\n  \"/b\"]\n", []string{"/a", "/b"}},
		{"continuation with trailing space", "FROM alpine\nVOLUME /a \\  \n /b\n", []string{"/a", "/b"}},
		{"comment in continuation", "FROM alpine\nVOLUME /a \\\n# a comment\n /b\n", []string{"/a", "/b"}},
		{"comments", "# VOLUME /nope\nFROM alpine\n  # VOLUME /no\n#VOLUME /no\nVOLUME /data\n", []string{"/data"}},
		{"CRLF", "FROM alpine\r\nVOLUME /a \\\r\n /b\r\n", []string{"/a", "/b"}},
		{"several instructions, duplicates", "FROM alpine\nVOLUME /a\nRUN x\nVOLUME [\"/b\", \"/a\"]\n", []string{"/a", "/b"}},
		{"variables left as-is", "FROM alpine\nENV D=/d\nVOLUME $D ${E}\nVOLUME [\"${F}\"]\n", []string{"$D", "${E}", "${F}"}},
		{"quoted plain form", "FROM alpine\nVOLUME \"/a\" '/b'\n", []string{"/a", "/b"}},
		{"invalid json is plain", "FROM alpine\nVOLUME [/a]\n", []string{"[/a]"}},
		{"multi-stage: last stage only", "FROM golang AS build\nVOLUME /build\nFROM alpine\nVOLUME /data\n", []string{"/data"}},
		{"multi-stage: last stage has none", "FROM postgres\nVOLUME /x\nFROM alpine\nRUN true\n", nil},
		{"from a named stage inherits", "FROM alpine AS base\nVOLUME /base\nFROM base\nVOLUME /top\n", []string{"/base", "/top"}},
		{"escape directive", "# escape=`\nFROM windows\nVOLUME C:\\a `\n C:\\b\n", []string{`C:\a`, `C:\b`}},
		{"onbuild ignored", "FROM alpine\nONBUILD VOLUME /later\n", nil},
		{"no volume", "FROM alpine\nRUN echo VOLUME /x\n", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseDockerfileVolumes([]byte(tt.src))
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseDockerfileBase(t *testing.T) {
	tests := []struct{ src, want string }{
		{"FROM postgres:16\n", "postgres:16"},
		{"FROM --platform=$BUILDPLATFORM golang:1.26 AS build\nFROM gcr.io/distroless/static\n", "gcr.io/distroless/static"},
		{"FROM postgres:16 AS db\nRUN x\nFROM db\n", "postgres:16"},
		{"FROM postgres:16 as db\nFROM golang AS b\nFROM DB\n", "postgres:16"},
		{"ARG V=16\nFROM postgres:${V}\n", "postgres:16"},
		{"ARG V=2.10.0\nARG FLAVOR=\"alpine\"\nFROM caddy:$V-${FLAVOR}\n", "caddy:2.10.0-alpine"},
		{"ARG V\nFROM postgres:${V}\n", "postgres:${V}"},
		{"ARG V\nFROM postgres:${V:-15}\n", "postgres:15"},
		{"FROM golang AS build\nARG V=16\nFROM postgres:${V}\n", "postgres:${V}"}, // a stage's ARG is not global
		{"ARG BASE=caddy:2.10.0-alpine\nFROM ${BASE} AS web\nRUN x\nFROM web\n", "caddy:2.10.0-alpine"},
	}
	for _, tt := range tests {
		if got := ParseDockerfile([]byte(tt.src)).Base; got != tt.want {
			t.Errorf("ParseDockerfile(%q).Base = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestParseDockerfileBuildArgs(t *testing.T) {
	src := []byte("ARG PG=16\nFROM postgres:${PG}-alpine\n")
	if got := ParseDockerfileArgs(src, map[string]string{"PG": "17"}).Base; got != "postgres:17-alpine" {
		t.Errorf("build arg: Base = %q, want postgres:17-alpine", got)
	}
	if got := ParseDockerfileArgs(src, map[string]string{"OTHER": "x"}).Base; got != "postgres:16-alpine" {
		t.Errorf("unrelated build arg: Base = %q, want postgres:16-alpine", got)
	}
}

func TestParseDockerfileEnvUser(t *testing.T) {
	src := []byte(`ARG HOME_DIR=/srv
FROM postgres:16 AS db
ARG HOME_DIR
ARG SUB=pgdata
ENV PGDATA=${HOME_DIR}/$SUB LANG="en US"
USER postgres
FROM alpine AS other
ENV PGDATA=/nope
USER nobody
FROM db
ENV APP_HOME /opt/my app
USER 999:999
`)
	df := ParseDockerfile(src)
	want := map[string]string{"PGDATA": "/srv/pgdata", "LANG": "en US", "APP_HOME": "/opt/my app"}
	if !reflect.DeepEqual(df.Env, want) {
		t.Errorf("Env = %q, want %q", df.Env, want)
	}
	if df.User != "999:999" {
		t.Errorf("User = %q, want 999:999", df.User)
	}
	if df.Base != "postgres:16" {
		t.Errorf("Base = %q, want postgres:16", df.Base)
	}
	if got := ParseDockerfile([]byte("FROM db\nUSER app\nFROM alpine\n")); got.User != "" || got.Env != nil {
		t.Errorf("a new stage starts without USER and ENV: got %q, %q", got.User, got.Env)
	}
}

func TestExpandVars(t *testing.T) {
	vars := map[string]string{"A": "a", "E": ""}
	tests := []struct{ in, want string }{
		{"$A/${A}", "a/a"},
		{"${B}-$B", "${B}-$B"},
		{"${B:-d} ${E:-d} ${E-d}", "d d "},
		{"${A:+x}|${E:+x}|${B:+x}", "x||"},
		{"$ and $$", "$ and $$"},
		{"${A", "${A"},
	}
	for _, tt := range tests {
		if got := expandVars(tt.in, vars); got != tt.want {
			t.Errorf("expandVars(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
