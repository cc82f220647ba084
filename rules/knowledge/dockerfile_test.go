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
		{"ARG V=16\nFROM postgres:${V}\n", "postgres:${V}"},
	}
	for _, tt := range tests {
		if got := ParseDockerfile([]byte(tt.src)).Base; got != tt.want {
			t.Errorf("ParseDockerfile(%q).Base = %q, want %q", tt.src, got, tt.want)
		}
	}
}
