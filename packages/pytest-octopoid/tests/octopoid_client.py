"""A small Octopoid client standing in for a suite's own SDK (``octopoid_sdk_factory``)."""

from __future__ import annotations

from typing import Any

from pytest_octopoid.http import send_ok


class OctopoidClient:
    """Tasks of one scope on one server, the way an orchestrator's SDK reaches them."""

    def __init__(self, server_url: str, scope: str) -> None:
        self.server_url = server_url.rstrip("/")
        self.scope = scope

    def _call(self, method: str, path: str, json: Any = None) -> Any:
        return send_ok(
            method, f"{self.server_url}/api/v1{path}", json=json, params={"scope": self.scope}
        )

    def create_task(self, task_id: str, title: str) -> dict[str, Any]:
        return self._call(
            "POST",
            "/tasks",
            {"id": task_id, "title": title, "file_path": f"tasks/{task_id}.md", "branch": "main"},
        )

    def get_task(self, task_id: str) -> dict[str, Any]:
        return self._call("GET", f"/tasks/{task_id}")

    def list_tasks(self) -> list[dict[str, Any]]:
        return self._call("GET", "/tasks")["tasks"]

    def claim_task(self, lease_duration_seconds: int = 60) -> dict[str, Any] | None:
        return self._call(
            "POST",
            "/tasks/claim",
            {
                "orchestrator_id": "orch-1",
                "agent_name": "agent-1",
                "lease_duration_seconds": lease_duration_seconds,
            },
        )
