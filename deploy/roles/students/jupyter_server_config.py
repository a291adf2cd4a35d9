# A class that is not in English (the course folder's course_language, passed on by the hub as CS231N_LANG)
# sees JupyterLab in its language: lab-<lang>/overrides.json makes the language pack's locale the default
# of JupyterLab's Language setting (a student can still choose another in Settings > Language).
import os
from pathlib import Path

c = get_config()  # noqa: F821
settings = Path(__file__).resolve().parent / f"lab-{os.environ.get('CS231N_LANG', 'en')}"
if settings.is_dir():
    c.LabApp.app_settings_dir = str(settings)
