package gen

var maleFirst = []string{
	"Muhammad", "Ahmad", "Abdul", "Rizki", "Fajar", "Agus", "Budi", "Dedi", "Eko", "Hendra",
	"Ilham", "Joko", "Kurniawan", "Lukman", "Nur", "Rahmat", "Slamet", "Taufik", "Wahyu", "Yusuf",
	"Arif", "Bayu", "Dimas", "Faisal", "Gilang", "Hafidz", "Irfan", "Khoirul", "Maulana", "Rudi",
	"Syaiful", "Zainal", "Imam", "Hasan", "Umar", "Bagus", "Anwar", "Sutrisno", "Teguh", "Wawan",
}

var femaleFirst = []string{
	"Siti", "Nur", "Dewi", "Sri", "Rina", "Ayu", "Fitri", "Indah", "Lestari", "Nurul",
	"Putri", "Ratna", "Wulan", "Yuni", "Anisa", "Dian", "Eka", "Fatimah", "Hana", "Intan",
	"Khadijah", "Laila", "Maya", "Novita", "Rahma", "Salma", "Tuti", "Umi", "Zahra", "Aisyah",
	"Nadia", "Rizka", "Sari", "Wati", "Yanti", "Kartika", "Mega", "Puji", "Rohmah", "Suci",
}

var lastNames = []string{
	"Santoso", "Wijaya", "Saputra", "Hidayat", "Pratama", "Rahman", "Nugroho", "Setiawan", "Kurniawati", "Lestari",
	"Maulida", "Hakim", "Firmansyah", "Syahputra", "Ramadhan", "Hasanah", "Rohman", "Susanti", "Wahyuni", "Fauzi",
	"Siregar", "Nasution", "Harahap", "Lubis", "Simanjuntak", "Pohan", "Tanjung", "Sihombing", "Munthe", "Daulay",
	"Prasetyo", "Kusuma", "Handayani", "Puspita", "Azzahra", "Maharani", "Anggraini", "Permata", "Utami", "Safitri",
	"Mubarok", "Syafii", "Amin", "Zulkifli", "Fadillah", "Baihaqi", "Mustofa", "Chasanah", "Ulfa", "Muttaqin",
}

var birthPlaces = []string{
	"Bogor", "Bandung", "Garut", "Tasikmalaya", "Cianjur", "Sukabumi", "Cirebon", "Kuningan", "Jakarta", "Bekasi",
	"Depok", "Serang", "Lebak", "Pandeglang", "Semarang", "Kudus", "Jepara", "Surabaya", "Jombang", "Kediri",
}

var employers = []string{
	"PT Astra Honda Motor", "CV Maju Jaya Las", "PT Sinar Garmindo", "Bengkel Berkah Motor", "Konveksi Al-Amin",
	"PT Indofood Sukses Makmur", "Koperasi Pondok", "Toko Elektronik Sumber Rejeki", "PT Pos Indonesia", "Warung Makan Barokah",
	"PT Mayora Indah", "Hotel Santika", "Percetakan Mandiri", "PT Wijaya Karya", "Dealer Yamaha Sejahtera",
}

var businesses = []string{
	"Usaha jahit rumahan", "Bengkel las sendiri", "Servis HP", "Katering", "Warung kopi", "Toko daring",
	"Bengkel motor", "Salon kecantikan", "Budi daya lele", "Produksi keripik", "Jasa desain", "Sablon kaos",
}

var sectors = []string{"Manufaktur", "Perdagangan", "Jasa", "Pertanian", "Konstruksi", "Pariwisata", "Otomotif", "Teknologi informasi"}

// partnerNames are the demo's partners; category is the road map's
// (domain.MitraCategories and the others), empty for those it does not count.
var partnerNames = []struct{ name, kind, scope, category string }{
	{"PT Astra Honda Motor", "industry", "Magang dan penempatan lulusan otomotif", "industry"},
	{"CV Maju Jaya Las", "industry", "Praktik kerja las dan rekrutmen", "industry"},
	{"PT Sinar Garmindo", "industry", "Penempatan operator jahit", "industry"},
	{"Koperasi UMKM Berkah", "umkm", "Pemasaran produk alumni", "umkm"},
	{"Asosiasi UMKM Kabupaten", "umkm", "Pendampingan usaha", "umkm"},
	{"Baznas Kabupaten", "funder", "Bantuan modal usaha alumni", "csr_donor"},
	{"Bank Syariah Indonesia", "funder", "Pembiayaan usaha mikro", "financial"},
	{"Dinas Tenaga Kerja Kabupaten", "government", "Informasi lowongan dan bursa kerja", "local_government"},
	{"BPVP Bandung Barat", "government", "Pelatihan instruktur", "central_government"},
	{"Politeknik Negeri Setempat", "education", "Kurikulum dan uji kompetensi", ""},
	{"LSP P1 Pesantren", "education", "Uji kompetensi peserta", ""},
	{"PT Telkom Indonesia", "industry", "Pelatihan digital dan magang", "industry"},
}
