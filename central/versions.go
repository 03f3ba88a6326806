package central

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/kemnaker/blk/domain"
)

// The per-field versions of a stored record are most of its bytes when
// kept as JSON ({"name":{"c":…,"d":"<uuid>"},…}: the device's UUID and
// the clock repeated for every field, ~1.2 KB for a trainee). They are
// stored grouped by version instead, as text:
//
//	~<clock base 36>.<device>:<field>,<field>;<clock>.<device>:<field>…
//
// where a UUID device is its 16 bytes in unpadded base64url (22
// characters) and any other device id ("server") is written as !<id>. A
// record written once by one PC has one group, so its versions cost its
// field names and ~36 bytes. Groups and fields are sorted, so equal
// versions encode to equal text (a push's plan compares stored text).
// Field names, not positions, keep the encoding generic over every
// TableSpec and safe when a table gains a field. Rows stored as JSON
// before this encoding are read as they are (the leading "~" tells them
// apart) and rewritten compactly at their next change.

// encodeVersions is the stored text of vers.
func encodeVersions(vers domain.Versions) string {
	groups := map[domain.Version][]string{}
	for name, v := range vers {
		if strings.ContainsAny(v.Device, ";") || strings.ContainsAny(name, ";,:") {
			// not a device or field this server makes; JSON holds anything
			b, _ := json.Marshal(vers)
			return string(b)
		}
		groups[v] = append(groups[v], name)
	}
	keys := make([]domain.Version, 0, len(groups))
	for v := range groups {
		keys = append(keys, v)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Clock != keys[j].Clock {
			return keys[i].Clock < keys[j].Clock
		}
		return keys[i].Device < keys[j].Device
	})
	var b strings.Builder
	b.WriteByte('~')
	for i, v := range keys {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.FormatInt(int64(v.Clock), 36))
		b.WriteByte('.')
		b.WriteString(encodeDevice(v.Device))
		b.WriteByte(':')
		names := groups[v]
		sort.Strings(names)
		b.WriteString(strings.Join(names, ","))
	}
	return b.String()
}

// decodeVersions reads stored versions in either encoding.
func decodeVersions(s string) (domain.Versions, error) {
	vers := domain.Versions{}
	if !strings.HasPrefix(s, "~") {
		if err := json.Unmarshal([]byte(s), &vers); err != nil {
			return nil, err
		}
		return vers, nil
	}
	s = s[1:]
	for s != "" {
		group, rest, _ := strings.Cut(s, ";")
		s = rest
		i := strings.LastIndexByte(group, ':')
		ok := i >= 0
		head, names := group[:max(i, 0)], group[i+1:]
		clock, dev, ok2 := strings.Cut(head, ".")
		if !ok || !ok2 {
			return nil, fmt.Errorf("versions group %q has no clock, device and fields", group)
		}
		c, err := strconv.ParseInt(clock, 36, 64)
		if err != nil {
			return nil, fmt.Errorf("versions group %q: clock: %w", group, err)
		}
		d, err := decodeDevice(dev)
		if err != nil {
			return nil, fmt.Errorf("versions group %q: %w", group, err)
		}
		v := domain.Version{Clock: domain.Clock(c), Device: d}
		for _, name := range strings.Split(names, ",") {
			if name != "" {
				vers[name] = v
			}
		}
	}
	return vers, nil
}

func encodeDevice(d string) string {
	if u, err := uuid.Parse(d); err == nil && u.String() == d {
		return base64.RawURLEncoding.EncodeToString(u[:])
	}
	return "!" + d
}

func decodeDevice(s string) (string, error) {
	if strings.HasPrefix(s, "!") {
		return s[1:], nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 16 {
		return "", fmt.Errorf("device %q is neither a packed UUID nor !id", s)
	}
	u, _ := uuid.FromBytes(b)
	return u.String(), nil
}
