// Package assets embeds what the binaries ship with: the icon, the
// Kemendagri region codes (see wilayah/README.md and wilayah/LICENSE) and
// the vocational-field catalogue. It holds data only, no logic; the texts
// people read are in package msg.
package assets

import _ "embed" // for go:embed

// Wilayah2025 is the 2025 Kemendagri region list: "kode,nama" with dotted codes.
//
//go:embed wilayah/wilayah-2025.csv
var Wilayah2025 []byte

// WilayahHistoris lists codes of the 2018–2023 editions that 2025 dropped:
// "kode,nama,terakhir_tercatat". A NIK issued under one stays valid.
//
//go:embed wilayah/wilayah-historis.csv
var WilayahHistoris []byte

// Icon is the application icon (PNG).
//
//go:embed icon.png
var Icon []byte

// Catalogue is the default national catalogue of vocational fields and their
// competency units, so a centre that never connects can work; the server's
// copy replaces it on the first pull. Its format is package reference's
// (field_code, field_name_id, field_name_en, unit_code, unit_title, jp),
// the one `blk-server reference import` reads.
//
//go:embed catalogue.csv
var Catalogue []byte

// ReleaseKey is the ministry's release public key (PEM, with explanatory
// text around it): the desktop installs only releases signed with its
// private half. A file without a PEM block means no updates.
//
//go:embed release.pub
var ReleaseKey []byte
