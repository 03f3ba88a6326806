// Package domain holds the records of a BLK Komunitas (centres, programmes,
// cohorts, trainees and what hangs on them) and their schema, declared once
// (schema.go): fields, limits, choices, references, cascades, natural keys
// and report projections, read by everything else. It also holds the
// validation rules, the NIK/phone/region rules, the hybrid logical clock
// and the merge of a change (Merge), run by the desktop and the server
// alike. Its texts for people are keys of package msg.
//
// It does no I/O: no files, no network, no database. Store, sync, the app and
// the server all import it so that every side applies the same rules.
package domain
