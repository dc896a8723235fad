"""The hub's HTTP API (FastAPI): every endpoint authenticates, then authorises per object."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from counsellor_app import __version__
from counsellor_app.domain.errors import DomainError
from counsellor_app.hub import audit, change_log, research
from counsellor_app.hub.auth import Accounts, Principal
from counsellor_app.hub.database import Database
from counsellor_app.hub.errors import Forbidden, HubError
from counsellor_app.hub.importer import import_document
from counsellor_app.hub.outbox import OutboxIngest
from counsellor_app.hub.request_log import RequestLog, note_caller
from counsellor_app.hub.settings import HubSettings
from counsellor_app.protocol import PROTOCOL_VERSION
from counsellor_app.protocol.admin import AuditPage
from counsellor_app.protocol.auth import (
    TEAM_ROLES,
    ErrorBody,
    LoginRequest,
    Me,
    RefreshRequest,
    TokenResponse,
)
from counsellor_app.protocol.changes import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from counsellor_app.protocol.importing import ImportReport
from counsellor_app.protocol.outbox import OutboxAnswer, OutboxBatch
from counsellor_app.protocol.research import (
    ResearchRequestList,
    ResearchRequestSubmission,
    ResearchRequestView,
)


class Hub:
    """One hub: its database, settings and services. ``create_app`` serves it over HTTP."""

    def __init__(self, db: Database, settings: HubSettings | None = None) -> None:
        self.db = db
        self.settings = settings or HubSettings()
        self.accounts = Accounts(db, self.settings)
        self.outbox = OutboxIngest(db, self.settings)

    def now(self) -> dt.datetime:
        return self.settings.clock()


def _error(status: int, body: ErrorBody) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(status_code=status, content=body.model_dump(), headers=headers)


def principal(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> Principal:
    """The caller, from ``Authorization: Bearer <access token>``."""
    bearer = None
    if authorization and authorization.lower().startswith("bearer "):
        bearer = authorization[7:].strip()
    hub: Hub = request.app.state.hub
    who = hub.accounts.authenticate(bearer)
    note_caller(request.scope, who.user_id, who.role, who.device_id)
    return who


Caller = Annotated[Principal, Depends(principal)]


def create_app(hub: Hub) -> FastAPI:
    app = FastAPI(title="Counsellor Desk hub", version=__version__, docs_url=None,
                  redoc_url=None, openapi_url="/v1/openapi.json")
    app.state.hub = hub
    app.add_middleware(RequestLog)

    @app.exception_handler(HubError)
    async def _hub_error(_request: Request, exc: HubError) -> JSONResponse:
        return _error(exc.status, ErrorBody(detail=exc.detail, code=exc.code, wipe=exc.wipe))

    @app.exception_handler(DomainError)
    async def _domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        return _error(422, ErrorBody(detail=str(exc), code="invalid"))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return _error(422, ErrorBody(detail=f"The request is malformed: {where}: {first['msg']}.",
                                     code="invalid"))

    @app.get("/v1/health")
    def health() -> dict[str, Any]:
        """Liveness: the process answers (the database is not consulted)."""
        return {"status": "ok", "protocol": PROTOCOL_VERSION, "version": __version__}

    @app.get("/v1/ready")
    def ready() -> JSONResponse:
        """Readiness: 200 when the database answers and its schema is current, else 503."""
        problem = hub.db.schema_problem()
        if problem is None:
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "not ready", "reason": problem}, status_code=503)

    @app.post("/v1/login", response_model=TokenResponse)
    def login(request: Request, body: LoginRequest) -> TokenResponse:
        """Tokens for a user name and password; the device id is logged only on success."""
        answer = hub.accounts.login(body)
        note_caller(request.scope, None, answer.role, body.device_id)
        return answer

    @app.post("/v1/refresh", response_model=TokenResponse)
    def refresh(request: Request, body: RefreshRequest) -> TokenResponse:
        answer = hub.accounts.refresh(body)
        note_caller(request.scope, None, answer.role, body.device_id)
        return answer

    @app.get("/v1/me", response_model=Me)
    def me(who: Caller) -> Me:
        return Me(user=who.name, role=who.role, team=who.team,  # type: ignore[arg-type]
                  device_id=who.device_id)

    @app.get("/v1/changes")
    def changes(
        who: Caller,
        since: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    ) -> Response:
        """A page of the caller's team's changes after ``since`` (see ``protocol.changes``)."""
        who.require(*TEAM_ROLES)
        assert who.team is not None
        with hub.db.reading(snapshot=True) as session:
            page = change_log.read_page(session, who.team, since, limit)
        if page.participant_ids:
            with hub.db.writing() as session:
                audit.record_reads(session, who, hub.now(), "sync.read", page.participant_ids)
        return Response(content=page.json, media_type="application/json")

    @app.post("/v1/outbox", response_model=OutboxAnswer)
    def outbox(who: Caller, batch: OutboxBatch) -> OutboxAnswer:
        who.require(*TEAM_ROLES)
        answers = hub.outbox.ingest(who, batch.items)
        return OutboxAnswer(answers=answers, received_at=hub.now())

    @app.post("/v1/research/requests", response_model=ResearchRequestView, status_code=201)
    def research_submit(who: Caller, body: ResearchRequestSubmission) -> ResearchRequestView:
        who.require("researcher")
        return research.submit(hub.db, who, body, hub.now())

    @app.get("/v1/research/requests", response_model=ResearchRequestList)
    def research_list(who: Caller) -> ResearchRequestList:
        who.require("researcher")
        return research.own_requests(hub.db, who, hub.now())

    @app.get("/v1/research/requests/{request_id}", response_model=ResearchRequestView)
    def research_one(who: Caller, request_id: str) -> ResearchRequestView:
        who.require("researcher")
        return research.own_request(hub.db, who, request_id, hub.now())

    @app.post("/v1/feed/import", response_model=ImportReport)
    def feed_import(who: Caller, body: dict[str, Any]) -> JSONResponse:
        who.require("feed")
        report = import_document(hub.db, body, who, hub.now())
        return JSONResponse(status_code=200 if report.applied else 422,
                            content=report.model_dump(mode="json"))

    @app.get("/v1/admin/audit", response_model=AuditPage)
    def admin_audit(
        who: Caller,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=5000)] = 500,
        participant_id: str | None = None,
        actor: str | None = None,
    ) -> AuditPage:
        who.require("admin")
        with hub.db.reading() as session:
            return audit.page(session, after=after, limit=limit, participant_id=participant_id,
                              actor=actor)

    @app.post("/v1/admin/devices/{device_id}/revoke")
    def admin_revoke(who: Caller, device_id: str) -> dict[str, bool]:
        who.require("admin")
        if device_id == who.device_id:
            raise Forbidden("You cannot revoke the device you are using.")
        return {"revoked": hub.accounts.revoke_device(device_id)}

    return app
