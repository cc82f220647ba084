package imagefacts

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/composure-dev/composure/rules/knowledge"
)

// Registry reads image configs from their registries with
// go-containerregistry: credentials from the user's docker config and
// credential helpers (authn.DefaultKeychain), Docker Hub's anonymous
// tokens when there are none, and multi-platform indexes resolved to the
// host's linux platform, else linux/amd64.
type Registry struct {
	Keychain  authn.Keychain
	Transport http.RoundTripper // nil: remote.DefaultTransport
	// Arch is the architecture picked from an index (default: the host's).
	Arch string
}

// platform names the platform an index is resolved to, for cache keys.
func (r *Registry) platform() string { return "linux/" + r.arch() }

func (r *Registry) arch() string {
	if r.Arch != "" {
		return r.Arch
	}
	return runtime.GOARCH
}

func (r *Registry) options(ctx context.Context) []remote.Option {
	kc := r.Keychain
	if kc == nil {
		kc = authn.DefaultKeychain
	}
	opts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(kc)}
	if r.Transport != nil {
		opts = append(opts, remote.WithTransport(r.Transport))
	}
	return opts
}

// Digest returns the digest ref points to now, with a HEAD request: one
// that registries do not count against pull rate limits (Docker Hub).
func (r *Registry) Digest(ctx context.Context, ref name.Reference) (string, error) {
	desc, err := remote.Head(ref, r.options(ctx)...)
	if err != nil {
		return "", classify(err)
	}
	return desc.Digest.String(), nil
}

// ImageConfig fetches ref's config. The result's Digest is the digest ref
// resolved to (an index's, for a multi-platform image), which the cache
// keys it by.
func (r *Registry) ImageConfig(ctx context.Context, ref name.Reference) (*knowledge.ImageConfig, error) {
	opts := r.options(ctx)
	desc, err := remote.Get(ref, opts...)
	if err != nil {
		return nil, classify(err)
	}
	var img v1.Image
	if desc.MediaType.IsIndex() {
		idx, err := desc.ImageIndex()
		if err != nil {
			return nil, classify(err)
		}
		img, err = r.pick(idx)
		if err != nil {
			return nil, err
		}
	} else if img, err = desc.Image(); err != nil {
		return nil, classify(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, classify(err)
	}
	c := &knowledge.ImageConfig{
		Digest: desc.Digest.String(), Env: cf.Config.Env, User: cf.Config.User, WorkingDir: cf.Config.WorkingDir,
		Entrypoint: cf.Config.Entrypoint, Cmd: cf.Config.Cmd, Source: SourceRegistry,
	}
	c.Volumes = volumeList(cf.Config.Volumes)
	return c, nil
}

// pick chooses the index's image for linux on the host's architecture,
// else linux/amd64 (what most images are built for, and what emulation
// runs).
func (r *Registry) pick(idx v1.ImageIndex) (v1.Image, error) {
	m, err := idx.IndexManifest()
	if err != nil {
		return nil, classify(err)
	}
	for _, arch := range []string{r.arch(), "amd64"} {
		for _, d := range m.Manifests {
			if p := d.Platform; p != nil && p.OS == "linux" && p.Architecture == arch && !d.MediaType.IsIndex() {
				img, err := idx.Image(d.Digest)
				if err != nil {
					return nil, classify(err)
				}
				return img, nil
			}
		}
	}
	return nil, fmt.Errorf("the index has no image for linux/%s or linux/amd64", r.arch())
}

// classify marks errors that mean the registry did not answer at all
// (DNS, refused, timeout) as unreachable; an HTTP error (unauthorized,
// not found) is an answer about one image.
func classify(err error) error {
	var terr *transport.Error
	if errors.As(err, &terr) {
		return err
	}
	var nerr net.Error
	var oerr *net.OpError
	var dnsErr *net.DNSError
	if errors.As(err, &nerr) || errors.As(err, &oerr) || errors.As(err, &dnsErr) || errors.Is(err, context.DeadlineExceeded) {
		return &unreachableError{err}
	}
	return err
}
