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
	keys := versionOrder(groups)
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

// encodeVersionsOf is the stored text of the versions of a record of table
// tbl: encodeVersions' groups, each naming its fields by a bit mask of
// their numbers (fieldNumbers) instead of their names,
//
//	^<clock base 36>.<device>:<field mask base 36>;…
//
// so a trainee written once costs ~40 bytes of versions, not ~190. A field
// without a number, or text the grouped form cannot hold, keeps the whole
// record in encodeVersions' form.
func encodeVersionsOf(tbl string, vers domain.Versions, number func(device string) int64) string {
	nos := fieldNo[tbl]
	masks := map[domain.Version]uint64{}
	for name, v := range vers {
		n, ok := nos[name]
		if !ok || n >= 64 || strings.ContainsAny(v.Device, ";") || strings.ContainsAny(name, ";,:") {
			return encodeVersions(vers)
		}
		masks[v] |= 1 << n
	}
	keys := versionOrder(masks)
	var b strings.Builder
	b.WriteByte('^')
	for i, v := range keys {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.FormatInt(int64(v.Clock), 36))
		b.WriteByte('.')
		if n := numberOf(number, v.Device); n > 0 {
			b.WriteByte('#')
			b.WriteString(strconv.FormatInt(n, 36))
		} else {
			b.WriteString(encodeDevice(v.Device))
		}
		b.WriteByte(':')
		b.WriteString(strconv.FormatUint(masks[v], 36))
	}
	return b.String()
}

// soleWriterSQL is a condition on the records table's vers column that
// holds when every field version of the record is that of the device
// numbered by the two arguments soleWriterArgs gives: one group of
// encodeVersionsOf's form, "^<clock>.#<number>:<mask>", with or without
// withMask's prefix. Such a record has nothing for that device, and its
// pull leaves it out in SQL instead of reading and decoding it. It may
// miss records the device alone wrote (several groups, or the older
// encodings), which changesOf then leaves out in Go; it never matches a
// record with another writer's version: the only '.' of a group is the
// one after its clock, and ';' separates groups in every encoding.
const soleWriterSQL = `(vers NOT LIKE '%;%' AND (vers LIKE ? OR vers LIKE ?))`

// soleWriterArgs are soleWriterSQL's arguments for device number no.
func soleWriterArgs(no int64) []any {
	dev := ".#" + strconv.FormatInt(no, 36) + ":%"
	return []any{"^%" + dev, "*%^%" + dev}
}

// numberOf is device's number within the record's centre (0: none, or
// not a UUID: only a device of the centre has one).
func numberOf(number func(string) int64, device string) int64 {
	if number == nil {
		return 0
	}
	if u, err := uuid.Parse(device); err != nil || u.String() != device {
		return 0
	}
	return number(device)
}

// numberedGroups calls fn with each group of a "^" text: its clock and
// device as written, and its field names.
func numberedGroups(tbl, s string, fn func(head string, names []string) error) error {
	nos := fieldNumbers[tbl]
	s = s[1:]
	for s != "" {
		group, rest, _ := strings.Cut(s, ";")
		s = rest
		i := strings.LastIndexByte(group, ':')
		if i < 0 {
			return fmt.Errorf("versions group %q has no fields", group)
		}
		mask, err := strconv.ParseUint(group[i+1:], 36, 64)
		if err != nil || mask == 0 {
			return fmt.Errorf("versions group %q: bad field mask", group)
		}
		var names []string
		for n := 0; mask != 0; n, mask = n+1, mask>>1 {
			if mask&1 == 0 {
				continue
			}
			if n >= len(nos) {
				return fmt.Errorf("versions group %q: %s has no field number %d", group, tbl, n)
			}
			names = append(names, nos[n])
		}
		if err := fn(group[:i], names); err != nil {
			return err
		}
	}
	return nil
}

// decodeVersionsOf reads the stored versions of a record of table tbl in
// any of the encodings.
//
// A device written as #<number> is the device of that number in the
// record's centre, which device gives (devices.device_no).
func decodeVersionsOf(tbl, s string, device func(no int64) (string, error)) (domain.Versions, error) {
	if !strings.HasPrefix(s, "^") {
		return decodeVersions(s)
	}
	vers := domain.Versions{}
	err := numberedGroups(tbl, s, func(head string, names []string) error {
		clock, dev, ok := strings.Cut(head, ".")
		if !ok {
			return fmt.Errorf("versions group %q has no clock and device", head)
		}
		c, err := strconv.ParseInt(clock, 36, 64)
		if err != nil {
			return fmt.Errorf("versions group %q: clock: %w", head, err)
		}
		var d string
		if no, ok := strings.CutPrefix(dev, "#"); ok {
			n, err := strconv.ParseInt(no, 36, 64)
			if err != nil || n <= 0 || device == nil {
				return fmt.Errorf("versions group %q: bad device number", head)
			}
			if d, err = device(n); err != nil {
				return fmt.Errorf("versions group %q: %w", head, err)
			}
		} else if d, err = decodeDevice(dev); err != nil {
			return fmt.Errorf("versions group %q: %w", head, err)
		}
		for _, n := range names {
			vers[n] = domain.Version{Clock: domain.Clock(c), Device: d}
		}
		return nil
	})
	return vers, err
}

// legacyVersionsLen is the length the versions text s had in
// encodeVersions' form (what a pull page's size is measured in).
func legacyVersionsLen(tbl, s string) int {
	if !strings.HasPrefix(s, "^") {
		return len(s)
	}
	n, groups := 1, 0
	_ = numberedGroups(tbl, s, func(head string, names []string) error {
		groups++
		if i := strings.IndexByte(head, '.'); i >= 0 && strings.HasPrefix(head[i+1:], "#") {
			head = head[:i+1] + "0123456789012345678901" // a packed UUID's 22 characters
		}
		n += len(head) + 1 + len(names) - 1
		for _, name := range names {
			n += len(name)
		}
		return nil
	})
	if groups > 1 {
		n += groups - 1
	}
	return n
}

// versionOrder is the versions of m by clock, then device: the order they
// are written in, so equal version sets are stored as equal text.
func versionOrder[V any](m map[domain.Version]V) []domain.Version {
	keys := make([]domain.Version, 0, len(m))
	for v := range m {
		keys = append(keys, v)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Clock != keys[j].Clock {
			return keys[i].Clock < keys[j].Clock
		}
		return keys[i].Device < keys[j].Device
	})
	return keys
}
