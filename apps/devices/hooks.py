"""Inbound vendor endpoints under /hooks/ (django-ninja, DESIGN.md §3).

* ``POST /hooks/enode`` — Enode webhooks: the signature is checked on the raw body before anything is
  parsed (401 when it does not match), events are deduplicated by id, the answer is 200.
* ``GET /hooks/enode/return?link=`` — where Enode's Link UI sends the household back: the link's
  assets are read and the link becomes ``linked`` when there are any.
* ``GET /hooks/enphase/callback?code&state`` — the OAuth redirect: the state must be the one issued
  for the link (single use), else 400 and nothing changes.

Errors are RFC 9457 problem details like the rest of the API. Nothing here logs or echoes a secret.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from ninja import NinjaAPI, Router, Schema, Status

from apps.common.api.errors import PROBLEM_CONTENT_TYPE, problem
from apps.common.errors import AppError
from apps.devices import services
from apps.devices.clients.enode.webhooks import SIGNATURE_HEADER


class WebhookAck(Schema):
    received: int
    processed: int
    duplicates: int


class LinkState(Schema):
    id: str
    provider: str
    status: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: dict[str, list[str]] | None = None


router = Router(tags=["vendor hooks"])

_DONE_TEXT = {
    "linked": ("Gekoppeld", "Uw apparaten zijn gekoppeld. U kunt dit venster sluiten."),
    "pending": (
        "Nog niet gekoppeld",
        "Er zijn nog geen apparaten gekoppeld. Probeer het opnieuw via uw installateur.",
    ),
}


def _wants_html(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "application/json" not in accept


def _done_page(status: str, *, http_status: int = 200, detail: str = "") -> HttpResponse:
    """What the household's browser sees after a vendor sent it back (they have no portal login)."""
    title, text = _DONE_TEXT.get(status, ("Koppelen mislukt", detail or "Het koppelen is niet gelukt."))
    body = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head>"
        '<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">'
        f"<h1>{escape(title)}</h1><p>{escape(text)}</p></body></html>"
    )
    return HttpResponse(body, status=http_status, content_type="text/html; charset=utf-8")


@router.post("/enode", response={200: WebhookAck, 400: Problem, 401: Problem}, auth=None)
def enode_webhook(request: HttpRequest):
    outcome = services.enode_webhook_receive(
        body=request.body, signature=request.headers.get(SIGNATURE_HEADER)
    )
    return Status(200, outcome)


@router.get("/enode/return", response={200: LinkState, 400: Problem, 404: Problem, 503: Problem}, auth=None)
def enode_return(request: HttpRequest, link: str):
    found = services.link_enode_returned(link_id=link)
    if _wants_html(request):
        return _done_page(found.status)
    return Status(200, LinkState(id=found.pk, provider=found.provider, status=found.status))


@router.get(
    "/enphase/callback", response={200: LinkState, 400: Problem, 502: Problem, 503: Problem}, auth=None
)
def enphase_callback(request: HttpRequest, state: str = "", code: str = "", error: str = ""):
    try:
        link = services.link_enphase_callback(state=state, code=code, error=error or None)
    except AppError as exc:
        if _wants_html(request):
            return _done_page("error", http_status=exc.status, detail=exc.detail)
        raise
    if _wants_html(request):
        return _done_page(link.status)
    return Status(200, LinkState(id=link.pk, provider=link.provider, status=link.status))


api = NinjaAPI(
    title="Solarscan vendor hooks",
    version="1.0.0",
    urls_namespace="hooks",
    docs_url=None,
    openapi_url=None,
)
api.add_router("/", router)


@api.exception_handler(AppError)
def _app_error(request: HttpRequest, exc: AppError):
    """The same problem body as /v1 (``apps.common.api.errors.problem``)."""
    body = problem(exc.status, exc.code, exc.title, exc.detail, exc.errors)
    return JsonResponse(body, status=exc.status, content_type=PROBLEM_CONTENT_TYPE)
