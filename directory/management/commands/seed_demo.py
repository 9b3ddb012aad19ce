"""`manage.py seed_demo`: Nghệ An's agencies and a demo user for every role. Idempotent."""

from django.core.management.base import BaseCommand, CommandError

from directory import demo
from directory.models import Role


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: cơ quan của Nghệ An và tài khoản mẫu cho mỗi vai trò (chạy lại không tạo trùng)."

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true", help="Chỉ in địa chỉ và tài khoản mẫu.")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000/")

    def handle(self, *args, print_logins=False, base_url="", **options):
        if print_logins:
            self.print_logins(base_url)
            return
        try:
            demo.seed()
        except demo.DemoDataMissing as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))

    def print_logins(self, base_url: str) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Đối thoại đang chạy tại {base_url}"))
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {demo.DEMO_PASSWORD}):")
        for spec in demo.DEMO_USERS:
            self.stdout.write(f"  {Role(spec.role).label:<36} {spec.username:<20} {spec.full_name}")
        self.stdout.write("")
