"""One typed Settings: environment (``SALESFLOW_…``) > ``<home>/salesflow.toml`` > defaults.

Read once by the CLI or a flow and passed down; nothing reads the environment at import time.
Nested values use ``__`` in the environment: ``SALESFLOW_IMAP__PASSWORD``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

DEFAULT_HOME = Path("salesflow-data")


class Seller(BaseModel):
    """The company issuing quotes and invoices (printed on documents)."""

    name: str = "Your Company Ltd."
    address: str = ""
    tax_id: str = ""
    email: str = ""
    phone: str = ""
    iban: str = ""


class ImapConfig(BaseModel):
    """Inquiry mailbox; the password may also come from a Prefect Secret block."""

    host: str = ""
    port: int = 993
    username: str = ""
    password: SecretStr = SecretStr("")
    mailbox: str = "INBOX"
    processed_folder: str = "Processed"
    quarantine_folder: str = "Quarantine"
    ssl: bool = True
    starttls: bool = False

    @property
    def configured(self) -> bool:
        return bool(self.host and self.username)


class Settings(BaseSettings):
    """Everything salesflow can be told."""

    model_config = SettingsConfigDict(
        env_prefix="SALESFLOW_", env_nested_delimiter="__", extra="ignore"
    )

    home: Path = DEFAULT_HOME
    database_url: str = ""
    currency: str = "TRY"
    default_tax_rate: Decimal = Decimal("20")
    default_region: str = "TR"
    quote_validity_days: int = 30
    payment_days: int = 30
    opportunity_close_days: int = 30
    language: str = "en"
    seller: Seller = Field(default_factory=Seller)
    imap: ImapConfig = Field(default_factory=ImapConfig)
    mapping: dict[str, dict[str, str]] = Field(default_factory=dict)
    scoring: dict[str, Any] = Field(default_factory=dict)
    auto_qualify: bool = True
    scan_min_confidence: float = 40.0  # Tesseract rates e-mail words low even when right

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_toml_path())
        return (init_settings, env_settings, toml, file_secret_settings)

    @property
    def db_url(self) -> str:
        """The database URL; defaults to SQLite inside the home folder."""
        return self.database_url or f"sqlite:///{(self.home / 'salesflow.db').resolve()}"

    @property
    def dropbox(self) -> Path:
        return self.home / "dropbox"

    @property
    def exports(self) -> Path:
        return self.home / "exports"


_TOML_PATH: list[Path] = []


def _toml_path() -> Path:
    return _TOML_PATH[-1] if _TOML_PATH else DEFAULT_HOME / "salesflow.toml"


def load_settings(
    home: Path | None = None, database_url: str | None = None, **overrides: Any
) -> Settings:
    """Read settings once: explicit arguments > environment > ``<home>/salesflow.toml``."""
    import os

    home = home or Path(os.environ.get("SALESFLOW_HOME") or DEFAULT_HOME)
    _TOML_PATH.append(home / "salesflow.toml")
    try:
        init: dict[str, Any] = {"home": home, **overrides}
        if database_url:
            init["database_url"] = database_url
        return Settings(**init)
    finally:
        _TOML_PATH.pop()
