import os


def module_for_environment() -> str:
    """`RENDA_ENV=production` selects the production settings; anything else development."""
    env = os.environ.get("RENDA_ENV", "development")
    return "renda.settings.production" if env == "production" else "renda.settings.dev"
