"""Public pages (home, news column, hotlines, receipt back pages) and the editors' pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.lib.pagecache import public_page_cache
from cchc.lib.paging import paginate
from cchc.lib.text import fold
from cchc.lib.versioning import StaleEdit, keep_input
from cchc.orgs.models import Unit, UnitKind
from cchc.orgs.succession import SuccessorMap, successors_on
from cchc.plans.models import Plan, PlanStatus
from cchc.portal import actions
from cchc.portal.backpage import links_for, render_back_page
from cchc.portal.forms import BackPageForm, ContactForm, NewsPostForm, PublishForm
from cchc.portal.models import (
    AgencyContact,
    NewsCategory,
    NewsPost,
    PaperSize,
    ReceiptBackPage,
    edits_for_agency,
    is_news_editor,
)
from cchc.procedures.models import FacetKind, SearchFacet

NEWS_PAGE_SIZE = 12


@require_GET
@public_page_cache(60)  # the same page for every visitor not signed in (issue 8 benchmarks)
def home(request: HttpRequest) -> HttpResponse:
    plans = (
        Plan.objects.filter(status=PlanStatus.ACTIVE)
        .select_related("issuer_unit")  # a sub-plan's public address names its agency
        .annotate(activity_count=Count("activities", distinct=True))
        .order_by("-year")[:5]
    )
    news = NewsPost.objects.published().select_related("category", "unit")[:5]
    fields = SearchFacet.objects.filter(kind=FacetKind.FIELD).order_by("-documents", "label")[:8]
    return render(request, "portal/home.html", {"plans": plans, "news": news, "fields": fields})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask every site for /favicon.ico: the icon is a static file (its name hashed, cached long), so a
    temporary redirect — a new icon must not be hidden behind a redirect cached for good."""
    return redirect(static("cchc/favicon.ico"))


# --- News column ------------------------------------------------------------------------------------


@require_GET
@public_page_cache(60)
def news_list(request: HttpRequest) -> HttpResponse:
    categories = NewsCategory.objects.all()
    posts = NewsPost.objects.published().select_related("category", "unit")
    category = None
    if request.GET.get("category"):
        category = get_object_or_404(NewsCategory, slug=request.GET["category"])
        posts = posts.filter(category=category)
    return render(
        request,
        "portal/news_list.html",
        {
            "categories": categories,
            "category": category,
            "page": paginate(request, posts, NEWS_PAGE_SIZE),
        },
    )


def get_post_for_user(user, slug: str) -> NewsPost:
    return get_object_or_404(NewsPost.objects.visible_to(user).select_related("category", "unit"), slug=slug)


@require_GET
def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    post = get_post_for_user(request.user, slug)
    return render(
        request,
        "portal/news_detail.html",
        {
            "post": post,
            "can_edit": NewsPost.objects.editable_by(request.user).filter(pk=post.pk).exists(),
        },
    )


# --- Editors ------------------------------------------------------------------------------------------


def _require_news_editor(user) -> None:
    if not is_news_editor(user):
        raise PermissionDenied


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The editor's desk: their posts, drafts first; their agency's hotline and back page."""
    user = request.user
    if not (is_news_editor(user) or edits_for_agency(user, user.unit_id)):
        raise PermissionDenied
    posts = (
        NewsPost.objects.editable_by(user)
        .select_related("category", "unit")
        .order_by("status", "-published_at", "-created_at")
    )
    return render(
        request,
        "portal/manage.html",
        {
            "page": paginate(request, posts, 30),
            "can_write": is_news_editor(user),
            "own_unit": user.unit if edits_for_agency(user, user.unit_id) else None,
        },
    )


@login_required
def news_create(request: HttpRequest) -> HttpResponse:
    _require_news_editor(request.user)
    form = NewsPostForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            post = actions.do_create_post(form.post_fields(), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu bản nháp. Xem lại rồi bấm «Đăng tin» khi sẵn sàng."))
            return redirect("portal:news_edit", post.pk)
    return render(request, "portal/news_form.html", {"form": form, "post": None})


def get_post_for_editor(user, pk: int) -> NewsPost:
    """404 for a post the user may not even see; 403 for one they may see but not edit."""
    post = get_object_or_404(NewsPost.objects.visible_to(user).select_related("unit", "category"), pk=pk)
    if not NewsPost.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied
    return post


@login_required
def news_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_editor(request.user, pk)
    initial = {
        "title": post.title,
        "category": post.category_id,
        "unit": post.unit_id,
        "summary": post.summary,
        "body": post.body,
        "version": post.version,
    }
    form = NewsPostForm(request.POST or None, initial=initial, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_post(
                post, form.post_fields(), actor=request.user, expected_version=form.cleaned_data["version"] or 0
            )
        except StaleEdit as err:
            status = keep_input(form, err)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("portal:news_edit", post.pk)
    return render(
        request,
        "portal/news_form.html",
        {
            "form": form,
            "post": post,
            "publish_form": PublishForm(initial={"version": post.version}),
        },
        status=status,
    )


@login_required
@require_POST
def news_publish(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_editor(request.user, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thời điểm đăng không hợp lệ (dd/mm/yyyy hh:mm)."))
        return redirect("portal:news_edit", post.pk)
    try:
        if request.POST.get("action") == "unpublish":
            actions.do_unpublish_post(post, actor=request.user, expected_version=form.cleaned_data["version"])
            messages.success(request, _("Đã gỡ tin khỏi chuyên mục; tin trở về bản nháp."))
        else:
            actions.do_publish_post(
                post, actor=request.user, expected_version=form.cleaned_data["version"], at=form.cleaned_data["at"]
            )
            messages.success(request, _("Đã đăng tin."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("portal:news_edit", post.pk)


# --- Hotlines -----------------------------------------------------------------------------------------

# Closed agencies matching a search, each shown with its successors (a search names one agency, rarely more).
MOVED_SHOWN = 5
KIND_ORDER = [
    UnitKind.PROVINCIAL_COMMITTEE,
    UnitKind.SERVICE_CENTER,
    UnitKind.DEPARTMENT,
    UnitKind.SECTOR_AGENCY,
    UnitKind.PUBLIC_SERVICE,
    UnitKind.DISTRICT_COMMITTEE,
    UnitKind.COMMUNE_COMMITTEE,
]


@require_GET
@public_page_cache(60)
def hotlines(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    today = timezone.localdate()
    # Only agencies that exist today: a closed one's hotline no longer answers.
    contacts = AgencyContact.objects.filter(unit__in=Unit.objects.valid_on(today)).select_related("unit")
    contacts = contacts.order_by("unit__name")
    moved = []
    if q:
        contacts = contacts.filter(unit__search_key__contains=fold(q))
        # Someone looking for an agency closed by a reorganisation is sent to the one that took over its work.
        closed = Unit.objects.filter(search_key__contains=fold(q), valid_to__lt=today).order_by("name")[:MOVED_SHOWN]
        if closed:
            heirs = SuccessorMap(today)
            moved = [(unit, heirs.successors(unit).units) for unit in closed]
            moved = [(unit, units) for unit, units in moved if units]
    groups: dict[str, list[AgencyContact]] = {}
    for contact in contacts:
        groups.setdefault(contact.unit.kind, []).append(contact)
    ordered = [(UnitKind(kind).label, groups.pop(kind)) for kind in KIND_ORDER if kind in groups]
    ordered += [(UnitKind(kind).label, items) for kind, items in groups.items()]
    return render(request, "portal/hotlines.html", {"groups": ordered, "q": q, "moved": moved})


def get_unit_for_agency_editor(user, code: str) -> Unit:
    unit = get_object_or_404(Unit, code=code)
    if not edits_for_agency(user, unit.pk):
        raise PermissionDenied
    return unit


@login_required
def contact_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_agency_editor(request.user, code)
    contact = AgencyContact.objects.filter(unit=unit).first()
    initial = {"version": contact.version} if contact else {}
    form = ContactForm(request.POST or None, instance=contact, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data.get("version")
        try:
            actions.do_save_contact(
                unit, form.cleaned_data, actor=request.user, expected_version=expected if contact or expected else None
            )
        except StaleEdit as err:
            status = keep_input(form, err)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã cập nhật đường dây nóng và địa chỉ tiếp nhận."))
            return redirect("portal:contact_edit", unit.code)
    return render(request, "portal/contact_form.html", {"form": form, "unit": unit, "contact": contact}, status=status)


# --- Receipt back pages -----------------------------------------------------------------------------


@login_required
def back_page_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_agency_editor(request.user, code)
    page = ReceiptBackPage.objects.filter(unit=unit).first()
    if page:
        initial = {
            "paper": page.paper,
            "title": page.title,
            "own_message": page.own_message,
            "messages": list(page.messages.values_list("pk", flat=True)),
            "version": page.version,
        }
    else:
        initial = {"paper": PaperSize.A5, "title": ReceiptBackPage._meta.get_field("title").get_default()}
    form = BackPageForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data.get("version")
        try:
            actions.do_save_back_page(
                unit, form.cleaned_data, actor=request.user, expected_version=expected if page or expected else None
            )
        except StaleEdit as err:
            status = keep_input(form, err)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu mặt sau phiếu hẹn."))
            return redirect("portal:back_page_edit", unit.code)
    return render(
        request,
        "portal/back_page_form.html",
        {
            "form": form,
            "unit": unit,
            "page": page,
            "links": links_for(unit),
            "has_contact": AgencyContact.objects.filter(unit=unit).exists(),
        },
        status=status,
    )


@require_GET
def back_page_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """Public: what is printed on the back of the agency's receipts is public information."""
    unit = get_object_or_404(Unit, code=code)
    heirs = successors_on(unit, timezone.localdate())
    if not heirs:
        raise Http404
    if heirs != [unit]:
        # A closed agency's back page: the one its (main) successor prints now.
        url = reverse("portal:back_page_pdf", args=[heirs[0].code])
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    page = ReceiptBackPage.objects.filter(unit=unit).prefetch_related("messages").first()
    paper = request.GET.get("paper", "")
    if paper and paper not in PaperSize.values:
        raise Http404
    pdf = render_back_page(unit, page, AgencyContact.objects.filter(unit=unit).first(), paper=paper)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mat-sau-phieu-hen-{unit.code}.pdf"'
    return response
