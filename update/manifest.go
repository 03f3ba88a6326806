package update

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Manifest describes one release file for one platform. The ministry signs
// it offline with its release key; the server only stores and forwards it,
// so a compromised server can refuse updates but cannot make a PC install
// anything the ministry did not sign.
type Manifest struct {
	Version   string `json:"version"`   // semantic version, e.g. 0.2.0
	Platform  string `json:"platform"`  // GOOS-GOARCH, e.g. windows-amd64
	File      string `json:"file"`      // base name, e.g. blk-0.2.0-setup.exe
	Size      int64  `json:"size"`      // bytes
	SHA256    string `json:"sha256"`    // lower-case hex of the file's SHA-256
	Signature []byte `json:"signature"` // ed25519 over SignedBytes (base64 in JSON)
}

// Errors a PC gets when it must not install a release. Each is wrapped with
// the details.
var (
	ErrUnsigned     = errors.New("the release is not signed")
	ErrBadSignature = errors.New("the release's signature does not match the ministry's release key")
	ErrTampered     = errors.New("the downloaded file is not the signed release")
	ErrNotNewer     = errors.New("the release is not newer than the installed version")
	ErrWrongTarget  = errors.New("the release is for another platform")
)

// signingContext separates these signatures from anything else the same
// key might ever sign.
const signingContext = "blk-komunitas release manifest v1\n"

// SignedBytes is what the signature covers: every field but the signature,
// one per line, in a fixed order (not JSON, whose encodings may differ).
func (m Manifest) SignedBytes() []byte {
	return []byte(fmt.Sprintf("%sversion=%s\nplatform=%s\nfile=%s\nsize=%d\nsha256=%s\n",
		signingContext, m.Version, m.Platform, m.File, m.Size, m.SHA256))
}

// Check refuses a manifest that is malformed.
func (m Manifest) Check() error {
	if _, err := ParseVersion(m.Version); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	if m.Platform == "" || strings.ContainsAny(m.Platform, "\n/\\") {
		return fmt.Errorf("manifest: platform %q: want GOOS-GOARCH, e.g. windows-amd64", m.Platform)
	}
	if m.File == "" || strings.ContainsAny(m.File, "\n/\\") || m.File == "." || m.File == ".." {
		return fmt.Errorf("manifest: file %q: want a plain file name", m.File)
	}
	if m.Size <= 0 {
		return fmt.Errorf("manifest: size %d: want the file's size in bytes", m.Size)
	}
	if b, err := hex.DecodeString(m.SHA256); err != nil || len(b) != sha256.Size || m.SHA256 != strings.ToLower(m.SHA256) {
		return fmt.Errorf("manifest: sha256 %q: want 64 lower-case hex digits", m.SHA256)
	}
	return nil
}

// Describe makes the unsigned manifest of the file at path.
func Describe(path, version, platform string) (Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return Manifest{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return Manifest{}, fmt.Errorf("read %s: %w", path, err)
	}
	base := path[strings.LastIndexAny(path, `/\`)+1:]
	m := Manifest{Version: version, Platform: platform, File: base, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}
	return m, m.Check()
}

// Sign returns m signed with the ministry's private release key.
func Sign(key ed25519.PrivateKey, m Manifest) (Manifest, error) {
	if err := m.Check(); err != nil {
		return Manifest{}, err
	}
	m.Signature = ed25519.Sign(key, m.SignedBytes())
	return m, nil
}

// Verify checks m's signature against the release public key.
func Verify(pub ed25519.PublicKey, m Manifest) error {
	if err := m.Check(); err != nil {
		return err
	}
	if len(m.Signature) == 0 {
		return ErrUnsigned
	}
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, m.SignedBytes(), m.Signature) {
		return fmt.Errorf("%w (version %s, %s)", ErrBadSignature, m.Version, m.Platform)
	}
	return nil
}

// Offer decides whether a PC running version installed on platform may take
// the release m: signed by pub, for this platform, and strictly newer. It is
// checked before downloading and again, with VerifyFile, before installing.
func Offer(pub ed25519.PublicKey, m Manifest, installed, platform string) error {
	if err := Verify(pub, m); err != nil {
		return err
	}
	if m.Platform != platform {
		return fmt.Errorf("%w: %s, this PC is %s", ErrWrongTarget, m.Platform, platform)
	}
	cur, err := ParseVersion(installed)
	if err != nil {
		return fmt.Errorf("installed %w", err)
	}
	next, _ := ParseVersion(m.Version) // checked by Verify
	if next.Compare(cur) <= 0 {
		return fmt.Errorf("%w: %s offered, %s installed", ErrNotNewer, m.Version, installed)
	}
	return nil
}

// VerifyFile checks that the file at path is the release m describes and
// that m is signed by pub: the last check before the installer runs.
func VerifyFile(pub ed25519.PublicKey, m Manifest, path string) error {
	if err := Verify(pub, m); err != nil {
		return err
	}
	got, err := Describe(path, m.Version, m.Platform)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrTampered, err)
	}
	if got.Size != m.Size || got.SHA256 != m.SHA256 {
		return fmt.Errorf("%w: %s has %d bytes with SHA-256 %s, the release has %d bytes with %s",
			ErrTampered, path, got.Size, got.SHA256, m.Size, m.SHA256)
	}
	return nil
}

// GenerateKey makes a new release key pair, PEM-encoded (PKCS #8 private,
// PKIX public: the same files openssl reads). The private key belongs on
// the ministry's offline signing machine, never on the server.
func GenerateKey() (privatePEM, publicPEM []byte, err error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	p8, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, err
	}
	pk, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}),
		pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pk}), nil
}

// ParsePrivateKey reads a PEM private key made by GenerateKey.
func ParsePrivateKey(data []byte) (ed25519.PrivateKey, error) {
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "PRIVATE KEY" {
		return nil, errors.New("release key: not a PEM \"PRIVATE KEY\" block")
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("release key: %w", err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("release key: %T is not an ed25519 key", k)
	}
	return ek, nil
}

// ParsePublicKey reads a PEM public key made by GenerateKey.
func ParsePublicKey(data []byte) (ed25519.PublicKey, error) {
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "PUBLIC KEY" {
		return nil, errors.New("release public key: not a PEM \"PUBLIC KEY\" block")
	}
	k, err := x509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("release public key: %w", err)
	}
	ek, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("release public key: %T is not an ed25519 key", k)
	}
	return ek, nil
}
