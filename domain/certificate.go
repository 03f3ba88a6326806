package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Certificate numbers are read by people and must be unique in the whole
// country, even when two PCs of one centre print offline on the same day:
//
//	<centre code>/<field>/<year>/<device>-<seq>     e.g. 32007/LAS/2026/2-0015
//
// The centre code is the short code blk-server gives a centre when the
// ministry registers it (province + a number); the device is the number the
// server gives each PC of the centre when it enrols (1, 2, …); seq counts
// that PC's certificates of the field and year. No two PCs share a device
// number, so they never need to agree on a sequence. A centre that has
// never enrolled has no server code: it uses OfflineCentreCode and
// OfflineDevice, made from its own ids, so its numbers are still its own.
// A number once issued is stored in its Certificate record and never
// computed again.

// CertificateCodeLen is the length of a certificate's check code: 16
// characters of a 32-letter alphabet hold 80 random bits.
const CertificateCodeLen = 16

// codeAlphabet leaves out the symbols people misread (0/O, 1/I).
var codeAlphabet = base32.NewEncoding("ABCDEFGHJKLMNPQRSTUVWXYZ23456789").WithPadding(base32.NoPadding)

// NewCertificateCode makes the unguessable code behind a certificate's QR
// code from r (crypto/rand when nil): 80 random bits, not a sequence.
func NewCertificateCode(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, 10)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("certificate code: %w", err)
	}
	return codeAlphabet.EncodeToString(b)[:CertificateCodeLen], nil
}

// NormalizeCertificateCode accepts a code as people type it (lower case,
// spaces or dashes) and returns it in stored form; ok is false when it
// cannot be a code at all, so nothing is looked up for it.
func NormalizeCertificateCode(s string) (string, bool) {
	if len(s) > 4*CertificateCodeLen {
		return "", false
	}
	s = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	if len(s) != CertificateCodeLen {
		return "", false
	}
	for _, r := range s {
		if !strings.ContainsRune("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", r) {
			return "", false
		}
	}
	return s, true
}

// NormalizeCertificateNumber tidies a number typed by hand (spaces, lower
// case); ok is false for text that cannot be a certificate number.
func NormalizeCertificateNumber(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 60 || !utf8.ValidString(s) {
		return "", false
	}
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	for _, r := range s {
		if r < 0x21 || r > 0x7e {
			return "", false
		}
	}
	return s, true
}

// CertificatePrefix is everything of a number but its sequence; the
// sequence counts the numbers already issued with this prefix.
func CertificatePrefix(centreCode, fieldCode string, year int, device string) string {
	field := strings.ToUpper(strings.TrimSpace(fieldCode))
	if field == "" {
		field = "X"
	}
	field = strings.NewReplacer("/", "-", " ", "").Replace(field)
	return fmt.Sprintf("%s/%s/%d/%s-", centreCode, field, year, device)
}

// CertificateNumber is prefix (CertificatePrefix) with sequence seq.
func CertificateNumber(prefix string, seq int) string {
	return fmt.Sprintf("%s%04d", prefix, seq)
}

// CertificateSeq reads the sequence of a number made with prefix; ok is
// false for numbers of another prefix.
func CertificateSeq(prefix, number string) (int, bool) {
	rest, ok := strings.CutPrefix(number, prefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n > 0
}

// OfflineCentreCode is the centre part of the numbers of a centre that has
// no server code (it never enrolled): "X" and six letters of the hash of
// its id, unlike any code the server gives (those are digits).
func OfflineCentreCode(centreID string) string {
	return "X" + hashCode(centreID, 6)
}

// OfflineDevice is the device part of the numbers of a PC that does not
// know its server number yet: "X" and four letters of the hash of its id,
// so two such PCs of one centre almost never share it (one in a million).
func OfflineDevice(deviceID string) string {
	return "X" + hashCode(deviceID, 4)
}

func hashCode(s string, n int) string {
	h := sha256.Sum256([]byte(s))
	return codeAlphabet.EncodeToString(h[:])[:n]
}
