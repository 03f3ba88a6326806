// Package domain holds the records of a BLK Komunitas (centres, programmes,
// cohorts, trainees and what hangs on them), their validation rules, the
// NIK/phone/region rules, the hybrid logical clock and the field-level merge
// rule shared by the desktop and the server.
//
// It does no I/O: no files, no network, no database. Store, sync, the app and
// the server all import it so that every side applies the same rules.
package domain
