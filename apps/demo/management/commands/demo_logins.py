from django.core.management.base import BaseCommand

from apps.accounts.models import RoleGrant, User

from ...logins import DEMO_LOGINS, DEMO_PASSWORD, DEMO_URL, describe_grant


class Command(BaseCommand):
    help = "Print the demo logins (username, password, role, scope) and the address to open."

    def handle(self, *args, **options):
        users = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in DEMO_LOGINS])}
        grants = {
            g.user_id: g
            for g in RoleGrant.objects.filter(user__in=users.values()).select_related(
                "region", "station", "unit", "deputy"
            )
        }
        self.stdout.write(f"演示账号 / demo logins — 打开 / open {DEMO_URL}")
        self.stdout.write(f"  {'账号 user':12} {'密码 password':14} {'角色 role':22} 范围 scope")
        for username, role, scope, _phone in DEMO_LOGINS:
            user = users.get(username)
            if user is None:
                scope = "（未创建 / not created: run seed_demo）"
            elif user.pk in grants:
                scope = describe_grant(grants[user.pk])
            self.stdout.write(f"  {username:12} {DEMO_PASSWORD:14} {role.value:22} {scope}")
        self.stdout.write("  town 也可用手机号 13800000002 登录 / can also log in by phone 13800000002")
