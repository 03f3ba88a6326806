package domain

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
)

// Record is any synced record type of this package.
type Record interface {
	Base() *Meta
}

// Kind is the type of a field value as stored and sent on the wire.
type Kind int

const (
	KindText Kind = iota
	KindInt
	KindBool
)

// Field describes one column of a table.
type Field struct {
	Name  string
	Kind  Kind
	index []int
}

// Table describes one record type: its SQL table name and its fields. Store,
// sync and the server build their SQL and wire handling from these, so adding
// a field to a struct is all it takes.
type Table struct {
	Name       string
	Reference  bool // national reference data, written by the ministry only
	AppendOnly bool // facts that are recorded, never edited concurrently
	Fields     []Field
	typ        reflect.Type
	byName     map[string]int
}

// Tables lists every synced table in dependency order (parents first).
var Tables []*Table

var byType = map[reflect.Type]*Table{}
var byName = map[string]*Table{}

func register(name string, proto Record, reference, appendOnly bool) {
	t := &Table{Name: name, Reference: reference, AppendOnly: appendOnly, byName: map[string]int{}}
	t.typ = reflect.TypeOf(proto).Elem()
	var walk func(reflect.Type, []int)
	walk = func(rt reflect.Type, prefix []int) {
		for i := 0; i < rt.NumField(); i++ {
			sf := rt.Field(i)
			idx := append(append([]int{}, prefix...), i)
			if sf.Anonymous {
				walk(sf.Type, idx)
				continue
			}
			tag := sf.Tag.Get("db")
			if tag == "" || tag == "-" {
				continue
			}
			k := KindText
			switch sf.Type.Kind() {
			case reflect.Int64:
				k = KindInt
			case reflect.Bool:
				k = KindBool
			}
			t.byName[tag] = len(t.Fields)
			t.Fields = append(t.Fields, Field{Name: tag, Kind: k, index: idx})
		}
	}
	walk(t.typ, nil)
	Tables = append(Tables, t)
	byType[t.typ] = t
	byName[name] = t
}

func init() {
	register("centres", &Centre{}, false, false)
	register("vocational_fields", &VocationalField{}, true, false)
	register("competency_units", &CompetencyUnit{}, true, false)
	register("instructors", &Instructor{}, false, false)
	register("programmes", &Programme{}, false, false)
	register("programme_units", &ProgrammeUnit{}, false, false)
	register("cohorts", &Cohort{}, false, false)
	register("trainees", &Trainee{}, false, false)
	register("enrollments", &Enrollment{}, false, false)
	register("attendance", &Attendance{}, false, true)
	register("assessments", &Assessment{}, false, true)
	register("outcomes", &Outcome{}, false, true)
	register("partners", &Partner{}, false, false)
	register("funding", &Funding{}, false, false)
}

// TableOf returns the descriptor of rec's type.
func TableOf(rec Record) *Table {
	t := byType[reflect.TypeOf(rec).Elem()]
	if t == nil {
		panic(fmt.Sprintf("domain: %T is not a registered record", rec))
	}
	return t
}

// LookupTable returns the named table, or nil when there is none.
func LookupTable(name string) *Table { return byName[name] }

// New returns a zero record of the table's type.
func (t *Table) New() Record { return reflect.New(t.typ).Interface().(Record) }

// Field returns the named field, ok false when the table has none.
func (t *Table) Field(name string) (Field, bool) {
	i, ok := t.byName[name]
	if !ok {
		return Field{}, false
	}
	return t.Fields[i], true
}

// DataFields are the fields a change may carry: all but the id.
func (t *Table) DataFields() []Field { return t.Fields[1:] }

// Get returns the value of field f of rec as string, int64 or bool.
func (f Field) Get(rec Record) any {
	return reflect.ValueOf(rec).Elem().FieldByIndex(f.index).Interface()
}

// Set assigns v (string, int64, bool, float64 from JSON or nil) to field f of rec.
func (f Field) Set(rec Record, v any) error {
	nv, err := f.Normalize(v)
	if err != nil {
		return err
	}
	reflect.ValueOf(rec).Elem().FieldByIndex(f.index).Set(reflect.ValueOf(nv))
	return nil
}

// Normalize converts a decoded or scanned value into the field's Go type.
func (f Field) Normalize(v any) (any, error) {
	switch f.Kind {
	case KindText:
		switch x := v.(type) {
		case nil:
			return "", nil
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		}
	case KindInt:
		switch x := v.(type) {
		case nil:
			return int64(0), nil
		case int64:
			return x, nil
		case int:
			return int64(x), nil
		case int32:
			return int64(x), nil
		case float64:
			if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
				break
			}
			return int64(x), nil
		case json.Number:
			return x.Int64()
		case string:
			return strconv.ParseInt(x, 10, 64)
		}
	case KindBool:
		switch x := v.(type) {
		case nil:
			return false, nil
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		case float64:
			return x != 0, nil
		}
	}
	return nil, fmt.Errorf("field %s: value %v (%T) is not a %s", f.Name, v, v, f.Kind)
}

func (k Kind) String() string {
	switch k {
	case KindInt:
		return "whole number"
	case KindBool:
		return "true/false"
	}
	return "text"
}

// Values returns every field of rec (id included) by name.
func Values(rec Record) map[string]any {
	t := TableOf(rec)
	m := make(map[string]any, len(t.Fields))
	for _, f := range t.Fields {
		m[f.Name] = f.Get(rec)
	}
	return m
}
