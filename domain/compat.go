package domain

// A desktop release knows the tables and fields of its schema version and
// refuses a pulled change that names any other (it cannot store it). The
// server therefore sends each PC what its version knows: the rest waits on
// the server, field by field, until the PC is updated and pulls again.

// KnownAt reports whether a PC of schema version v knows the table.
func (t *Table) KnownAt(v int) bool { return t.Since <= v }

// FieldsAt lists the fields a PC of schema version v knows, in table order
// (none when it does not know the table).
func (t *Table) FieldsAt(v int) []Field {
	var out []Field
	for _, f := range t.Fields {
		if f.Since <= v {
			out = append(out, f)
		}
	}
	return out
}

// ForSchema returns c as a PC of schema version v can take it: without the
// fields v does not know, and false when v does not know the table or no
// field is left. c itself is not changed. An unknown table is left out
// too: it is no PC's to store.
func ForSchema(c Change, v int) (Change, bool) {
	t := LookupTable(c.Table)
	if t == nil || !t.KnownAt(v) {
		return c, false
	}
	drop := false
	for name := range c.Fields {
		if f, ok := t.Field(name); !ok || f.Since > v {
			drop = true
			break
		}
	}
	if !drop {
		return c, true
	}
	out := c
	out.Fields = make(FieldValues, len(c.Fields))
	for name, val := range c.Fields {
		if f, ok := t.Field(name); ok && f.Since <= v {
			out.Fields[name] = val
		}
	}
	if c.Base != nil {
		out.Base = make(map[string]Version, len(c.Base))
		for name, ver := range c.Base {
			if _, ok := out.Fields[name]; ok {
				out.Base[name] = ver
			}
		}
	}
	return out, len(out.Fields) > 0
}

// ConflictKnownAt reports whether a PC of schema version v knows the table
// and the field of the conflict.
func ConflictKnownAt(c Conflict, v int) bool {
	t := LookupTable(c.Table)
	if t == nil || !t.KnownAt(v) {
		return false
	}
	f, ok := t.Field(c.Field)
	return ok && f.Since <= v
}
