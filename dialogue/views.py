"""Views of the shared toolkit: the sample official document, to check the PDF frame and fonts."""

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from dialogue.pdf import pdf_response, render_pdf

SAMPLE_TEMPLATE = "documents/sample_notice.html"


def sample_notice_context() -> dict[str, Any]:
    """Context of the sample notice (the frame's context keys, see docs/documents.md)."""
    return {
        "issuer": ["TỈNH ỦY NGHỆ AN"],
        "number": "1029-TB/TU",
        "place": "Nghệ An",
        "date": dt.date(2023, 8, 28),
        "doc_type": "THÔNG BÁO",
        "summary": (
            "kết luận của Thường trực Tỉnh ủy tại Chương trình gặp mặt, đối thoại với người đứng đầu "
            "cấp ủy, chính quyền các xã, phường, thị trấn năm 2023"
        ),
        "recipients": [
            "Ban Bí thư Trung ương Đảng (để b/c)",
            "Ban Dân vận Trung ương (để b/c)",
            "Các đồng chí Tỉnh ủy viên",
            "Các ban, cơ quan đảng Tỉnh ủy",
            "Ban cán sự đảng UBND tỉnh",
            "Các huyện ủy, thành ủy, thị ủy, đảng ủy trực thuộc",
            "Đảng ủy các xã, phường, thị trấn",
            "Lưu Văn phòng Tỉnh ủy",
        ],
        "signature": {"form": "T/M BAN THƯỜNG VỤ", "title": "PHÓ BÍ THƯ", "signer": "Trần Quốc Hưng"},
    }


@login_required
def sample_document(request: HttpRequest) -> HttpResponse:
    """The sample notice of conclusions as PDF."""
    pdf = render_pdf(SAMPLE_TEMPLATE, sample_notice_context(), request=request)
    return pdf_response(pdf, "Thông báo kết luận (mẫu).pdf")
