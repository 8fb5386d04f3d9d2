"""Page guards: each view names who may open it, and the answer always comes from accounts.access.

Anonymous visitors are sent to the login page; a logged-in user whom ``access`` gives no role,
or a role that may not open the page, gets 403. Object-level rules (which member a reader may
see) are applied inside the views through ``access`` querysets, so a hidden record is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from samkalk.apps.accounts import access

View = Callable[..., HttpResponse]


def _guard(allowed: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorator


role_required = _guard(access.has_role)
data_manager_required = _guard(access.can_manage_data)
salary_reader_required = _guard(access.can_read_salaries)
billing_reader_required = _guard(access.reads_billing)
