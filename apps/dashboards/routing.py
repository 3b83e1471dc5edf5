"""WebSocket route of the big screen, mounted by renda/asgi.py beside the meetings' screens."""

from __future__ import annotations

from django.urls import path

from .consumers import DashboardConsumer

websocket_urlpatterns = [
    path("ws/dashboards/<int:region_id>/", DashboardConsumer.as_asgi()),
]
