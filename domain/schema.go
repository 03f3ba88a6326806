package domain

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// The schema is declared once, here and in records.go, and everything else
// reads it: validation of the generic rules, change capture, the desktop
// store's SQL, reference checks and cascades, natural ids, the server's
// report columns and the export's column labels.
//
// A field is one line of a record struct; its struct tags hold its facts:
//
//	db:"name"                   column name, on the wire and in both databases
//	max:"100"                   most characters a text field holds (every text
//	                            field declares one; references and dates have theirs)
//	rule:"required,date"        required: not blank; date: YYYY-MM-DD;
//	                            positive: a whole number above 0
//	choice:"a,b,c"              the allowed codes, in the order a person picks
//	                            from; their labels are msg keys choice.<table>.<field>.<code>
//	rule:"open"                 with choice: other text is kept as written, with a
//	                            warning, so a value the list lacks never refuses a record
//	ref:"trainees"              holds the id of a record of that table, which
//	ref:"trainees,cascade"      must exist when saved; with cascade, deleting
//	                            that record deletes this one too
//	since:"2"                   the schema version (wire.SchemaVersion) that added
//	                            the field; absent: the first. A table added later
//	                            says so in its TableSpec's Since.
//
// Its label is the msg key field.<db name>, in msg/id/field.json and
// msg/en/field.json. A table is one TableSpec in the list below, parents
// before the tables that refer to them.
//
// Adding a field: add the struct field with its tags, its label to the
// catalogue, and a migration for the desktop database (store/migrations);
// the server stores records as JSON and needs none. Once a release has
// shipped, a new field or table also raises wire.SchemaVersion and carries
// that number in since (or Since): the server then leaves it out of what it
// sends a PC of an older release, which would refuse a field it does not
// know (ForSchema), and domain's TestSchemaOfEachVersion names it. Rules that need code
// (a NIK's structure, a cohort's quota) go in validate.go.

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

// IDMax is the most characters of a record id (a UUID is 36).
const IDMax = 64

// dateLen is the length of a stored date, YYYY-MM-DD.
const dateLen = 10

// Field describes one column of a table, as its struct tags declare it.
type Field struct {
	Name     string
	Kind     Kind
	Max      int      // text: most characters
	Required bool     // text: not blank
	Date     bool     // text: a date, YYYY-MM-DD
	Positive bool     // whole number: above 0
	Choices  []string // text: the allowed codes, in display order
	Open     bool     // with Choices: other text is saved with a warning
	Ref      string   // text: the table whose record id this holds
	Cascade  bool     // with Ref: tombstoned with the record it refers to
	Since    int      // the schema version that added it (1: the first)
	index    []int
}

// TableSpec declares a table: its record type and the facts of the table as
// a whole. Field facts are the struct tags of Record's type.
type TableSpec struct {
	Name       string // SQL table name, also on the wire
	Record     Record // a pointer to a zero record of the table's type
	Reference  bool   // national reference data, written by the ministry only
	AppendOnly bool   // facts that are recorded, never edited concurrently
	// NaturalKey names the fields whose values identify a record, so two
	// PCs recording the same fact write the same row: its id is
	// NaturalID(KeyName, values in this order...).
	NaturalKey []string
	KeyName    string
	// Projection names up to three fields the server copies into plain
	// indexed columns (k1..k3) for its national reports.
	Projection [3]string
	// Since is the schema version that added the table (0 or 1: the first).
	Since int
}

// Table describes one record type: its SQL table name and its fields.
type Table struct {
	Name       string
	Reference  bool
	AppendOnly bool
	Fields     []Field
	NaturalKey []string
	KeyName    string
	Projection [3]string
	Since      int // the schema version that added the table (1: the first)
	typ        reflect.Type
	byName     map[string]int
	children   []Child
}

// Child is a field of another table that refers to a table with cascade.
type Child struct {
	Table *Table
	Field Field
}

// Tables lists every synced table in dependency order (parents first).
var Tables []*Table

var byType = map[reflect.Type]*Table{}
var byName = map[string]*Table{}

func init() {
	for _, s := range []TableSpec{
		{Name: "centres", Record: &Centre{}},
		{Name: "vocational_fields", Record: &VocationalField{}, Reference: true,
			KeyName: "vocational_field", NaturalKey: []string{"code"}},
		{Name: "competency_units", Record: &CompetencyUnit{}, Reference: true,
			KeyName: "competency_unit", NaturalKey: []string{"field_code", "code"}},
		{Name: "instructors", Record: &Instructor{}},
		{Name: "programmes", Record: &Programme{}, Projection: [3]string{"field_code"}},
		{Name: "programme_units", Record: &ProgrammeUnit{},
			KeyName: "programme_unit", NaturalKey: []string{"programme_id", "unit_code"}},
		{Name: "cohorts", Record: &Cohort{}, Projection: [3]string{"programme_id"}},
		{Name: "trainees", Record: &Trainee{}, Projection: [3]string{"village_code"}},
		{Name: "enrollments", Record: &Enrollment{},
			KeyName: "enrollment", NaturalKey: []string{"cohort_id", "trainee_id"},
			Projection: [3]string{"trainee_id", "status", "cohort_id"}},
		{Name: "attendance", Record: &Attendance{}, AppendOnly: true,
			KeyName: "attendance", NaturalKey: []string{"enrollment_id", "date"}},
		{Name: "assessments", Record: &Assessment{}, AppendOnly: true,
			KeyName: "assessment", NaturalKey: []string{"enrollment_id", "unit_code"}},
		{Name: "outcomes", Record: &Outcome{}, AppendOnly: true,
			Projection: [3]string{"trainee_id", "status", "surveyed_on"}},
		{Name: "partners", Record: &Partner{}},
		{Name: "funding", Record: &Funding{}},
		{Name: "instructor_certifications", Since: 2, Record: &InstructorCertification{}},
		{Name: "legal_documents", Since: 2, Record: &LegalDocument{}},
		{Name: "ledger_lines", Since: 2, Record: &LedgerLine{}, Projection: [3]string{"direction", "ledger_category", "date"}},
		{Name: "roadmap_targets", Since: 2, Record: &RoadmapTarget{},
			KeyName: "roadmap_target", NaturalKey: []string{"centre_id", "target_year"}},
		{Name: "kemandirian_thresholds", Since: 2, Record: &KemandirianThresholds{}, Reference: true,
			KeyName: "kemandirian_thresholds", NaturalKey: []string{"code"}},
		// The server looks certificates up by code (k2, the check page's
		// QR link) and by number (k1, typed by hand).
		{Name: "certificates", Since: 2, Record: &Certificate{},
			Projection: [3]string{"certificate_no", "check_code", "enrollment_id"}},
		// Employer satisfaction: the server finds the ratings of an answer (k1).
		{Name: "employer_ratings", Since: 2, Record: &EmployerRating{}, AppendOnly: true,
			Projection: [3]string{"outcome_id", "rated_on"}},
		// BNSP certificates: the server reports them by trainee (k1) and
		// finds them by number (k2) and expiry (k3).
		{Name: "competency_certificates", Since: 2, Record: &CompetencyCertificate{},
			KeyName: "competency_certificate", NaturalKey: []string{"trainee_id", "certificate_no"},
			Projection: [3]string{"trainee_id", "certificate_no", "expires_on"}},
	} {
		if _, err := Register(s); err != nil {
			panic(err)
		}
	}
}

// Register declares a table. The tables of this package register
// themselves; a test may declare a table of its own (and Unregister it when
// done). Register is not safe to call while other goroutines read the
// schema: call it from init or at the start of a test.
func Register(s TableSpec) (*Table, error) {
	if byName[s.Name] != nil {
		return nil, fmt.Errorf("domain: table %s is declared twice", s.Name)
	}
	t := &Table{Name: s.Name, Reference: s.Reference, AppendOnly: s.AppendOnly,
		NaturalKey: s.NaturalKey, KeyName: s.KeyName, Projection: s.Projection, Since: max(s.Since, 1), byName: map[string]int{}}
	t.typ = reflect.TypeOf(s.Record).Elem()
	if _, dup := byType[t.typ]; dup {
		return nil, fmt.Errorf("domain: %s is already the record of another table", t.typ)
	}
	if err := t.walk(t.typ, nil); err != nil {
		return nil, err
	}
	if len(t.Fields) < 2 || t.Fields[0].Name != "id" {
		return nil, fmt.Errorf("domain: %s must embed Meta", t.typ)
	}
	if err := t.checkTableFacts(); err != nil {
		return nil, err
	}
	Tables = append(Tables, t)
	byType[t.typ] = t
	byName[t.Name] = t
	for _, f := range t.Fields {
		if len(f.Choices) > 0 {
			cs := make([]Choice, len(f.Choices))
			for i, v := range f.Choices {
				cs[i] = Choice{Field: t.Name + "." + f.Name, Value: v}
			}
			Choices[t.Name+"."+f.Name] = cs
		}
	}
	linkChildren()
	return t, nil
}

// Unregister removes a table a test declared.
func Unregister(name string) {
	t := byName[name]
	if t == nil {
		return
	}
	Tables = slices.DeleteFunc(Tables, func(x *Table) bool { return x == t })
	delete(byName, name)
	delete(byType, t.typ)
	for _, f := range t.Fields {
		delete(Choices, t.Name+"."+f.Name)
	}
	linkChildren()
}

// linkChildren works out, for every table, the fields that cascade from it,
// in table order.
func linkChildren() {
	for _, t := range Tables {
		t.children = nil
	}
	for _, t := range Tables {
		for _, f := range t.Fields {
			if f.Cascade {
				byName[f.Ref].children = append(byName[f.Ref].children, Child{Table: t, Field: f})
			}
		}
	}
}

// walk reads the fields of rt (embedded structs first, in order).
func (t *Table) walk(rt reflect.Type, prefix []int) error {
	for i := 0; i < rt.NumField(); i++ {
		sf := rt.Field(i)
		idx := append(append([]int{}, prefix...), i)
		if sf.Anonymous {
			if err := t.walk(sf.Type, idx); err != nil {
				return err
			}
			continue
		}
		name := sf.Tag.Get("db")
		if name == "" || name == "-" {
			continue
		}
		f, err := parseField(t.Name, name, sf)
		if err != nil {
			return err
		}
		f.index = idx
		// a field is as old as its table at the most
		f.Since = max(f.Since, t.Since)
		if _, dup := t.byName[name]; dup {
			return fmt.Errorf("domain: %s.%s is declared twice", t.Name, name)
		}
		t.byName[name] = len(t.Fields)
		t.Fields = append(t.Fields, f)
	}
	return nil
}

// parseField reads a field's facts from its struct tags.
func parseField(table, name string, sf reflect.StructField) (Field, error) {
	f := Field{Name: name}
	bad := func(format string, args ...any) (Field, error) {
		return Field{}, fmt.Errorf("domain: %s.%s: %s", table, name, fmt.Sprintf(format, args...))
	}
	switch sf.Type.Kind() {
	case reflect.String:
		f.Kind = KindText
	case reflect.Int64:
		f.Kind = KindInt
	case reflect.Bool:
		f.Kind = KindBool
	default:
		return bad("a field is a string, an int64 or a bool, not %s", sf.Type)
	}
	if rule, ok := sf.Tag.Lookup("rule"); ok {
		for _, r := range strings.Split(rule, ",") {
			switch r {
			case "required":
				f.Required = true
			case "date":
				f.Date = true
			case "positive":
				f.Positive = true
			case "open":
				f.Open = true
			default:
				return bad("unknown rule %q (required, date, positive or open)", r)
			}
		}
	}
	if ref, ok := sf.Tag.Lookup("ref"); ok {
		target, opt, _ := strings.Cut(ref, ",")
		if byName[target] == nil {
			return bad("refers to %q, which is not declared before it", target)
		}
		f.Ref = target
		switch opt {
		case "":
		case "cascade":
			f.Cascade = true
		default:
			return bad("unknown ref option %q (cascade)", opt)
		}
	}
	f.Since = 1
	if v, ok := sf.Tag.Lookup("since"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 {
			return bad("since is the schema version that added the field, 2 or more, not %q", v)
		}
		f.Since = n
	}
	if c, ok := sf.Tag.Lookup("choice"); ok {
		f.Choices = strings.Split(c, ",")
	}
	if m, ok := sf.Tag.Lookup("max"); ok {
		n, err := strconv.Atoi(m)
		if err != nil || n <= 0 {
			return bad("max must be a positive number of characters, not %q", m)
		}
		f.Max = n
	}
	switch {
	case f.Kind != KindText && (f.Max > 0 || f.Required || f.Date || f.Ref != "" || f.Choices != nil):
		return bad("max, required, date, ref and choice are for text fields")
	case f.Kind != KindInt && f.Positive:
		return bad("positive is for whole numbers")
	case f.Open && f.Choices == nil:
		return bad("open is for fields with choices")
	case f.Kind == KindText && f.Max == 0:
		switch {
		case f.Ref != "" || name == "id" || name == "centre_id":
			f.Max = IDMax
		case f.Date:
			f.Max = dateLen
		default:
			return bad("every text field declares its maximum length, e.g. max:\"100\"")
		}
	}
	for _, c := range f.Choices {
		if c == "" || len(c) > f.Max {
			return bad("choice %q is empty or longer than the field's max", c)
		}
	}
	return f, nil
}

// checkTableFacts checks that the natural key and projection name fields.
func (t *Table) checkTableFacts() error {
	if (len(t.NaturalKey) > 0) != (t.KeyName != "") {
		return fmt.Errorf("domain: %s: a natural key needs both its fields and its KeyName", t.Name)
	}
	for _, k := range t.NaturalKey {
		f, ok := t.Field(k)
		if !ok || f.Kind != KindText || k == "id" {
			return fmt.Errorf("domain: %s: natural key field %q is not a text field of the table", t.Name, k)
		}
	}
	for _, p := range t.Projection {
		if _, ok := t.Field(p); p != "" && !ok {
			return fmt.Errorf("domain: %s: projected field %q is not a field of the table", t.Name, p)
		}
	}
	return nil
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

// HasNaturalKey reports whether ids of the table derive from a natural key.
func (t *Table) HasNaturalKey() bool { return len(t.NaturalKey) > 0 }

// Children are the fields of other tables that refer to this one with
// cascade: deleting a record of this table deletes the records whose field
// holds its id.
func (t *Table) Children() []Child { return t.children }

// Get returns the value of field f of rec as string, int64 or bool.
func (f Field) Get(rec Record) any {
	return reflect.ValueOf(rec).Elem().FieldByIndex(f.index).Interface()
}

// text returns a text field's value without boxing it.
func (f Field) text(rec Record) string {
	return reflect.ValueOf(rec).Elem().FieldByIndex(f.index).String()
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
		case json.Number:
			n, err := x.Float64()
			if err != nil {
				break
			}
			return n != 0, nil
		}
	}
	return nil, fmt.Errorf("field %s: value %s (%T) is not a %s", f.Name, brief(v), v, f.Kind)
}

// brief shows at most the start of a value in an error, so a huge value
// is never copied into a message.
func brief(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 40 {
		return strconv.Quote(s[:40]) + "…"
	}
	return strconv.Quote(s)
}

// NormalizeFields converts the values of a change's fields into the fields'
// Go types in place. A field the table does not have, the id among them, is
// an error: the sender's schema is newer than this program's.
func (t *Table) NormalizeFields(fields map[string]any) error {
	for name, v := range fields {
		f, ok := t.Field(name)
		if !ok || name == "id" {
			return fmt.Errorf("unknown field %s.%s", t.Name, brief(name))
		}
		nv, err := f.Normalize(v)
		if err != nil {
			return err
		}
		fields[name] = nv
	}
	return nil
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

// AssignNaturalID sets the id of a record whose table has a natural key
// (attendance of one enrollment on one day, the result of one unit, an
// enrollment of one trainee in one cohort, a unit of a programme). It
// leaves other records alone.
func AssignNaturalID(rec Record) {
	t := TableOf(rec)
	if !t.HasNaturalKey() {
		return
	}
	parts := make([]string, len(t.NaturalKey))
	for i, k := range t.NaturalKey {
		f, _ := t.Field(k)
		parts[i] = f.text(rec)
	}
	rec.Base().ID = NaturalID(t.KeyName, parts...)
}
