"""Kinds of products Hà Tĩnh actually makes, used to generate a realistic demo catalogue.

Each kind: name stem, OCOP classification code, unit and size variants, price range in thousand
đồng, whether it counts among the province's typical specialties, the former districts (GSO codes)
where it is made, and a drawing style for its picture.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    stem: str
    ocop_code: str
    variants: tuple
    price_k: tuple
    specialty: bool
    districts: tuple
    shape: str


ALL_DISTRICTS = ("436", "437", "439", "440", "441", "442", "443", "444", "445", "446", "447", "448", "449")

KINDS = [
    Kind("Kẹo cu đơ", "I.3.b", ("hộp 250g", "hộp 450g", "túi 500g"), (35, 90), True, ("436", "440", "442", "439", "443"), "box"),
    Kind("Kẹo lạc", "I.3.b", ("túi 300g", "hộp 500g"), (30, 70), True, ("445", "443", "440"), "box"),
    Kind("Bánh đa vừng", "I.3.b", ("gói 10 chiếc", "gói 20 chiếc"), (30, 65), True, ("446", "447", "443", "449"), "disc"),
    Kind("Bánh chưng xanh", "I.3.b", ("chiếc 1kg", "cặp 2 chiếc"), (70, 160), True, ("442", "446", "445"), "box"),
    Kind("Bưởi Phúc Trạch", "I.1.a", ("quả 1,2–1,5kg", "thùng 4 quả"), (60, 280), True, ("444",), "fruit"),
    Kind("Cam bù Hương Sơn", "I.1.a", ("túi 2kg", "thùng 5kg"), (90, 260), True, ("439",), "fruit"),
    Kind("Cam Khe Mây", "I.1.a", ("túi 2kg", "thùng 5kg"), (80, 220), True, ("441",), "fruit"),
    Kind("Cam chanh Vũ Quang", "I.1.a", ("túi 2kg", "thùng 5kg"), (70, 200), True, ("441",), "fruit"),
    Kind("Dưa lưới", "I.1.a", ("quả 1,5–2kg",), (60, 120), False, ("442", "445", "446"), "fruit"),
    Kind("Hành tăm", "I.1.a", ("túi 500g", "túi 1kg"), (60, 140), True, ("439", "443"), "leaf"),
    Kind("Gà đồi", "I.1.b", ("con 1,5–2kg",), (220, 380), False, ("446", "444", "441"), "fruit"),
    Kind("Thịt dê núi", "I.1.b", ("kg",), (250, 360), True, ("439", "444"), "box"),
    Kind("Gạo", "I.2.a", ("túi 5kg", "túi 10kg"), (90, 250), False, ("445", "443", "440", "436", "448"), "bag"),
    Kind("Lạc sen", "I.2.a", ("túi 1kg",), (70, 120), True, ("442", "443", "448"), "bag"),
    Kind("Mật ong", "I.2.b", ("chai 500ml", "chai 1 lít"), (180, 450), True, ("439", "444", "441", "440"), "jar"),
    Kind("Mật mía", "I.2.b", ("chai 500ml",), (45, 90), True, ("444", "441"), "jar"),
    Kind("Dầu lạc", "I.3.c", ("chai 500ml", "chai 1 lít"), (70, 160), True, ("439", "444", "440", "443"), "bottle"),
    Kind("Tinh bột sắn dây", "I.3.c", ("túi 500g", "hộp 1kg"), (90, 200), True, ("439", "441", "444"), "bag"),
    Kind("Trám đen ướp muối", "I.3.c", ("hũ 500g",), (80, 150), True, ("439", "444"), "jar"),
    Kind("Khoai deo", "I.3.c", ("túi 500g",), (70, 130), True, ("442", "446", "448"), "bag"),
    Kind("Giò bột", "I.3.d", ("cây 500g", "cây 1kg"), (90, 200), True, ("440", "443", "439", "445"), "log"),
    Kind("Giò me", "I.3.d", ("cây 500g", "cây 1kg"), (140, 280), True, ("444", "443", "441"), "log"),
    Kind("Mực khô", "I.3.d", ("túi 500g", "kg"), (600, 1400), True, ("442", "448", "446", "447"), "box"),
    Kind("Cá ngần khô", "I.3.d", ("túi 500g",), (250, 450), True, ("442", "448"), "box"),
    Kind("Tôm nõn khô", "I.3.d", ("túi 500g",), (450, 900), True, ("442", "446", "447"), "box"),
    Kind("Chả cá", "I.3.d", ("kg",), (180, 260), True, ("442", "446", "449"), "log"),
    Kind("Bò khô", "I.3.d", ("túi 250g", "túi 500g"), (180, 420), False, ("439", "436"), "box"),
    Kind("Nước mắm", "I.4.a", ("chai 500ml", "chai 1 lít", "can 2 lít"), (50, 220), True, ("446", "442", "448", "449", "447"), "bottle"),
    Kind("Mắm ruốc", "I.4.a", ("hũ 500g",), (45, 90), True, ("446", "448", "442"), "jar"),
    Kind("Muối hạt sạch", "I.4.b", ("túi 1kg",), (15, 35), False, ("448", "442"), "bag"),
    Kind("Chè xanh", "I.5.a", ("gói 200g", "hộp 500g"), (60, 180), True, ("439", "444", "443", "441"), "leaf"),
    Kind("Trà cà gai leo", "I.5.b", ("hộp 20 túi lọc", "túi 500g"), (60, 150), True, ("443", "446", "444"), "box"),
    Kind("Trà thảo dược", "I.5.b", ("hộp 20 túi lọc",), (70, 140), False, ("436", "443", "445"), "box"),
    Kind("Rượu nếp cái", "II.1.a", ("chai 500ml", "can 2 lít"), (80, 250), True, ("445", "440", "443"), "bottle"),
    Kind("Rượu nhung hươu", "II.1.b", ("chai 500ml",), (350, 800), True, ("439", "436"), "bottle"),
    Kind("Nước khoáng nóng", "II.2.a", ("thùng 24 chai 500ml",), (110, 170), True, ("439",), "bottle"),
    Kind("Nhung hươu", "III.1", ("hộp 100g", "hộp 200g"), (1500, 5500), True, ("439", "444"), "box"),
    Kind("Cao xương hươu", "III.1", ("hộp 100g", "hộp 200g"), (1200, 3800), True, ("439",), "box"),
    Kind("Nấm linh chi", "III.1", ("hộp 250g",), (350, 900), False, ("444", "439", "441"), "box"),
    Kind("Tinh dầu bưởi", "III.3", ("chai 100ml",), (90, 180), True, ("444",), "bottle"),
    Kind("Dầu tràm", "III.3", ("chai 50ml", "chai 100ml"), (60, 150), True, ("445", "443", "446"), "bottle"),
    Kind("Nón lá", "IV.1", ("chiếc",), (60, 160), True, ("443", "440"), "hat"),
    Kind("Đồ mộc mỹ nghệ", "IV.1", ("bộ",), (800, 6500), True, ("440", "437"), "box"),
    Kind("Hương trầm", "IV.1", ("hộp 100 que",), (50, 160), True, ("443", "439"), "box"),
    Kind("Đan lát mây tre", "IV.1", ("bộ 3 chiếc",), (120, 350), False, ("444", "441", "447"), "basket"),
    Kind("Khăn lụa tơ tằm", "IV.2", ("chiếc",), (250, 650), True, ("440",), "cloth"),
    Kind("Cây cảnh bonsai", "V.2", ("chậu",), (450, 3500), False, ("436", "437", "445"), "leaf"),
    Kind("Hoa lan rừng", "V.1", ("chậu",), (250, 900), False, ("439", "444"), "leaf"),
    Kind("Tour du lịch cộng đồng", "VI.1", ("vé người lớn", "vé trẻ em"), (150, 650), False, ("439", "444", "442", "446", "441"), "ticket"),
]

KIND_BY_STEM = {k.stem: k for k in KINDS}

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phan", "Võ", "Hoàng", "Đặng", "Bùi", "Đinh", "Hồ", "Phạm", "Dương", "Thái", "Đậu"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đình", "Xuân", "Thanh", "Minh", "Quốc", "Ngọc", "Công"]
GIVEN = ["An", "Bình", "Châu", "Dung", "Đức", "Hà", "Hải", "Hằng", "Hiền", "Hoa", "Hùng", "Hương", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Ngân", "Phong", "Phúc", "Quang", "Sơn", "Tâm", "Thảo",
         "Thắng", "Thành", "Thủy", "Trang", "Trung", "Tuấn", "Vân", "Việt", "Yến"]
ENTERPRISE_BRANDS = ["Hồng Lam", "Lam Hồng", "Trà Sơn", "Ngàn Phố", "Thiên Cầm", "Vũ Môn", "Kim Sơn", "Hương Giang",
                     "Sông La", "Đại Huệ", "Bãi Vọt", "Xuân Thành", "Hoành Sơn", "Hải Thịnh", "Phúc An", "An Khang"]
COOP_ACTIVITIES = ["Sản xuất nông nghiệp và dịch vụ", "Nông nghiệp sạch", "Chế biến nông sản", "Dịch vụ tổng hợp",
                   "Chăn nuôi và dịch vụ", "Chế biến hải sản", "Trồng cây ăn quả", "Dược liệu"]
