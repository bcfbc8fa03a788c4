# sample-select: LY2
"""Redirects to where the client says, and the checked forms."""
from urllib.parse import urlparse

from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

SAFE_PAGES = {"/", "/account", "/orders"}


def login_done(request):
    next_url = request.GET.get("next", "/")
    # Ünïcödé 🙂
    return redirect(next_url)  # expect: LY207


def logout(request):
    return HttpResponseRedirect(request.POST["return_to"])  # expect: LY207


# --- safe look-alikes -------------------------------------------------------------------------


def login_checked(request):
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)


def login_allowlisted(request):
    target = request.GET.get("next", "/")
    if target not in SAFE_PAGES:
        return redirect("/")
    return redirect(target)


def same_host(request):
    target = request.GET["next"]
    if urlparse(target).netloc not in {"", "example.com"}:
        return redirect("/")
    return redirect(target)


def named(request):
    return redirect("account-home")
