"""The investor web site: server-rendered pages over the store (deal list, a deal's history
in charts, a period's statement with the explanation of any figure and its downloads), a JSON
API under ``/api/`` with its OpenAPI document, and closing a period by upload for the holder
of the operator's bearer token. ``remit serve`` runs it; :func:`remit.web.app.create_app`
builds it."""
