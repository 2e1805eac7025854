# Siwanda: the two commands of the README, and a few for developers.
SHELL := /bin/sh
PY := .venv/bin/python
PORT ?= 8000

.PHONY: run test venv-run venv-test worker lint messages lock clean

## make run: set everything up and serve the demo at http://127.0.0.1:$(PORT)
run: venv-run
	@PORT=$(PORT) scripts/run.sh

## make test: set up and run the whole suite (browser tests included)
test: venv-test
	@scripts/ensure-chromium.sh
	@$(PY) -m pytest $(PYTEST_ARGS)

venv-run:
	@scripts/venv.sh requirements/base.txt

venv-test:
	@scripts/venv.sh requirements/test.txt

lint: venv-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## make messages: refresh both translation catalogs after changing strings, then compile them
messages: venv-test
	cd src/siwanda && ../../$(PY) ../../manage.py makemessages -l id -l en --no-obsolete --add-location file
	cd src/siwanda && ../../$(PY) ../../manage.py makemessages -d djangojs -l id -l en --no-obsolete --add-location file --ignore 'core/static/vendor/*'
	# English is the source language: every English msgstr is its msgid (fuzzy ones included).
	for po in src/siwanda/locale/en/LC_MESSAGES/*.po; do \
	    msgfilter --keep-header -i "$$po" -o "$$po" sed -e d && \
	    msgattrib --clear-fuzzy "$$po" -o "$$po" && msgen "$$po" -o "$$po"; done
	cd src/siwanda && ../../$(PY) ../../manage.py compilemessages

## make lock: re-pin every dependency (with hashes) after editing pyproject.toml
lock: venv-test
	$(PY) -m pip install --quiet uv
	$(PY) -m uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.12 -o requirements/base.txt
	$(PY) -m uv pip compile pyproject.toml --extra test --generate-hashes --universal --python-version 3.12 -o requirements/test.txt

clean:
	rm -rf .venv var/db.sqlite3* var/media
