"""Administrative-reform indicators over one-stop-shop dossier data.

The package is pure Python: it never imports streamlit. The dashboard pages,
the command line (``python -m analytics``) and the tests all call it.
"""

__version__ = "0.1.0"
