"""The reference list of fields (lĩnh vực). Migration 0002 loads a frozen copy of it; the demo
and the tests call `ensure_fields()` so a database flushed by a browser test still has them."""

FIELDS = [
    ("kinh-te-xa-hoi", "Phát triển kinh tế - xã hội", 1),
    ("quoc-phong-an-ninh", "Quốc phòng - an ninh", 2),
    ("xay-dung-dang", "Xây dựng Đảng và hệ thống chính trị", 3),
    ("tam-tu-nguyen-vong", "Tâm tư, nguyện vọng của Nhân dân", 4),
    ("dat-dai-moi-truong", "Đất đai, tài nguyên, môi trường", 5),
    ("ha-tang-giao-thong", "Hạ tầng, giao thông, xây dựng", 6),
    ("van-hoa-giao-duc-y-te", "Văn hóa, giáo dục, y tế", 7),
    ("chinh-sach-can-bo", "Chế độ, chính sách đối với cán bộ cơ sở", 8),
    ("khac", "Lĩnh vực khác", 99),
]


def ensure_fields() -> dict:
    """Every reference field, created where missing; returned by code."""
    from .models import Field

    return {
        code: Field.objects.get_or_create(code=code, defaults={"name": name, "order": order})[0]
        for code, name, order in FIELDS
    }
