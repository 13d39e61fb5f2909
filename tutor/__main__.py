from tutor.cli import app

app()
