"""Who may do what (DESIGN.md §5): the groups behind the roles, and checks for views."""
from django.contrib.auth.mixins import AccessMixin

DEPARTMENT_GROUP = "trade department"  # Sở Công Thương reviewers and editors
COMMUNITY_GROUP = "community digital team"  # tổ công nghệ số cộng đồng, helps households apply


def is_department(user):
    return user.is_authenticated and (user.is_superuser or user.groups.filter(name=DEPARTMENT_GROUP).exists())


def is_community_assistant(user):
    return user.is_authenticated and user.groups.filter(name=COMMUNITY_GROUP).exists()


class DepartmentRequiredMixin(AccessMixin):
    """Department reviewers and administrators only: others are sent to log in, or refused (403)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_department(request.user):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)
