"""The deployment files an operator copies: deploy/compose.yaml (PostgreSQL and two bot
processes), the systemd template unit deploy/linkwise@.service and deploy/Dockerfile. They are
read as their tools read them and checked against the CLI and the settings: every bot process
would start with settings Linkwise accepts, and together the processes run every shard once."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.cli import build_parser, cmd_run
from bot.config import Settings

yaml = pytest.importorskip("yaml")

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SECRETS = {"DISCORD_TOKEN": "M" + "A" * 25 + ".GgGgGg." + "z" * 38, "POSTGRES_PASSWORD": "s3cret"}


def interpolate(value: str) -> str:
    """Compose's ${NAME}, ${NAME:?message} and ${NAME:-default}, from SECRETS."""

    def one(match: re.Match[str]) -> str:
        name, _, rest = match.group(1).partition(":")
        if name in SECRETS:
            return SECRETS[name]
        assert rest.startswith("-"), f"{name} is required by compose.yaml but not given"
        return rest[1:]

    return re.sub(r"\$\{([^}]+)\}", one, value)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def bot_services(compose: dict) -> dict[str, dict]:
    services = compose["services"]
    return {name: s for name, s in services.items() if s.get("build") or s.get("image", "").startswith("linkwise")}


def test_compose_runs_postgres_and_two_bot_processes_covering_every_shard_once(compose):
    bots = bot_services(compose)
    assert len(bots) == 2 and "postgres" in compose["services"]
    entrypoint = re.search(r'ENTRYPOINT \["(\w+)"\]', (DEPLOY / "Dockerfile").read_text()).group(1)
    assert entrypoint == "linkwise"
    database = compose["services"]["postgres"]["environment"]
    covered: list[int] = []
    counts = set()
    for name, service in bots.items():
        args = build_parser().parse_args(service["command"])
        assert args.handler is cmd_run, name
        environment = {key: interpolate(str(value)) for key, value in service["environment"].items()}
        settings = Settings.from_env(environment, require_token=True)  # what `linkwise run` would accept
        assert settings.database.engine == "postgresql"
        url = urlsplit(settings.database.url)
        assert url.hostname == "postgres" and url.path == "/" + database["POSTGRES_DB"]
        assert url.username == database["POSTGRES_USER"] and url.password == SECRETS["POSTGRES_PASSWORD"]
        assert settings.owned_shards is not None, f"{name} runs every shard: two processes would refuse each other"
        covered += settings.owned_shards
        counts.add(settings.shard_count)
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["restart"] in {"unless-stopped", "always", "on-failure"}
    (count,) = counts
    assert sorted(covered) == list(range(count))


def test_the_systemd_template_runs_the_shards_of_its_instance_name(tmp_path):
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # systemd's keys are case-sensitive
    unit.read(DEPLOY / "linkwise@.service", encoding="utf-8")
    service = unit["Service"]
    assert service["EnvironmentFile"] == "/etc/linkwise/linkwise.env"
    assert service["Restart"] == "on-failure"
    argv = shlex.split(service["ExecStart"])
    assert Path(argv[0]).name == "linkwise"
    covered = []
    for instance in ("0-3", "4-7"):  # linkwise@0-3 and linkwise@4-7
        args = build_parser().parse_args([a.replace("%I", instance) for a in argv[1:]])
        assert args.handler is cmd_run and args.shard_ids == instance
        environment = {
            **SECRETS,
            "LINKWISE_DATABASE_URL": "postgresql://linkwise:pw@db.example.org:5432/linkwise",
            "LINKWISE_SHARD_COUNT": "8",
            "LINKWISE_SHARD_IDS": args.shard_ids,
        }
        settings = Settings.from_env(environment, require_token=True)
        covered += settings.owned_shards or ()
    assert covered == list(range(8))
    assert unit["Install"]["WantedBy"] == "multi-user.target"
