"""Members and roles: invite by e-mail, change a role, remove (never the last owner)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.common.errors import AppError, Forbidden
from apps.organizations.models import Membership
from apps.organizations.selectors import membership_get, membership_list
from apps.organizations.services import membership_add, membership_remove, membership_role_change
from apps.portal.emails import invite_send
from apps.portal.forms import InviteForm, RoleForm
from apps.portal.views.base import portal_view, require_manager


def _membership(request, pk: int) -> Membership:
    return membership_get(organization=request.organization, membership_id=pk)


def _refusal(error: AppError) -> str:
    if error.code == "last_owner":
        return _("An organization keeps at least one owner. Make someone else owner first.")
    return error.detail


@portal_view
def member_index(request):
    memberships = membership_list(organization=request.organization)
    form = InviteForm(organization=request.organization, actor=request.membership)
    return render(request, "portal/settings/members.html", {"memberships": memberships, "form": form})


@portal_view
@require_POST
def member_invite(request):
    require_manager(request)
    form = InviteForm(request.POST, organization=request.organization, actor=request.membership)
    if form.is_valid():
        membership = membership_add(
            organization=request.organization,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
        invite_send(
            request=request, user=membership.user, organization=request.organization, invited_by=request.user
        )
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": membership.user.email})
        return redirect("portal:member_index")
    memberships = membership_list(organization=request.organization)
    return render(
        request, "portal/settings/members.html", {"memberships": memberships, "form": form}, status=400
    )


@portal_view
@require_http_methods(["GET", "POST"])
def member_edit(request, pk: int):
    membership = _membership(request, pk)
    require_manager(request)
    form = RoleForm(request.POST or None, actor=request.membership, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            membership_role_change(
                actor=request.membership, membership=membership, role=form.cleaned_data["role"]
            )
        except Forbidden as error:
            raise PermissionDenied(error.detail) from error
        except AppError as error:
            form.add_error("role", _refusal(error))
        else:
            messages.success(request, _("Role of %(email)s changed.") % {"email": membership.user.email})
            return redirect("portal:member_index")
    return render(request, "portal/settings/member_edit.html", {"member": membership, "form": form})


@portal_view
@require_http_methods(["GET", "POST"])
def member_remove(request, pk: int):
    membership = _membership(request, pk)
    require_manager(request)
    error_message = None
    if request.method == "POST":
        try:
            membership_remove(actor=request.membership, membership=membership)
        except Forbidden as error:
            raise PermissionDenied(error.detail) from error
        except AppError as error:
            error_message = _refusal(error)
        else:
            if membership.user_id == request.user.pk:  # left the organization: nothing to show any more
                logout(request)
                return redirect("portal:login")
            messages.success(request, _("%(email)s removed.") % {"email": membership.user.email})
            return redirect("portal:member_index")
    return render(
        request,
        "portal/settings/member_remove.html",
        {"member": membership, "error_message": error_message},
        status=409 if error_message else 200,
    )
