"""The review UI: a Flask app of blueprints (auth, dashboard, review, preview).

Only :func:`app.create_app` imports this package, so the command line and the jobs
never load Flask.
"""
