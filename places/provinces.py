"""Vietnam's 34 provincial-level units since 01/07/2025 (Nghị quyết 202/2025/QH15 on rearranging
provincial administrative units): 6 centrally-run cities and 28 provinces, in the resolution's order
of the unchanged units first. Shipping addresses name one of them."""

PROVINCES = (
    "Thành phố Hà Nội", "Thành phố Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
    "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng",
    "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Thành phố Hải Phòng",
    "Ninh Bình", "Quảng Trị", "Thành phố Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Thành phố Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Thành phố Cần Thơ", "Vĩnh Long",
    "Đồng Tháp", "Cà Mau", "An Giang",
)
assert len(PROVINCES) == 34 and len(set(PROVINCES)) == 34
