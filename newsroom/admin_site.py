"""The admin site, with the sign-in throttle in front of Django's login view."""

import time

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.template.response import TemplateResponse

from newsroom import login_throttle


class NewsroomAdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        if request.method == "POST":
            username = request.POST.get("username", "")
            wait = login_throttle.wait_seconds(username, login_throttle.client_ip(request))
            if wait:
                response = TemplateResponse(
                    request,
                    "admin/login_throttled.html",
                    {
                        **self.each_context(request),
                        "title": "Too many sign-in attempts",
                        "wait": wait,
                    },
                    status=429,
                )
                response["Retry-After"] = str(wait)
                return response
        return super().login(request, extra_context)


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin_site.NewsroomAdminSite"


@receiver(user_login_failed, dispatch_uid="login-throttle-failed")
def _failed(sender, credentials, request=None, **kwargs):
    if request is not None:
        login_throttle.record_failure(
            credentials.get("username", ""), login_throttle.client_ip(request)
        )


@receiver(user_logged_in, dispatch_uid="login-throttle-cleared")
def _succeeded(sender, request, user, **kwargs):
    if request is not None:
        login_throttle.clear(user.get_username(), login_throttle.client_ip(request))
        # Start the idle clock with the sign-in itself (SessionIdleMiddleware), so
        # the first page after it has no session write of its own.
        if hasattr(request, "session"):
            from newsroom.middleware import SessionIdleMiddleware  # needs the app registry

            request.session[SessionIdleMiddleware.ACTIVE_KEY] = int(time.time())
