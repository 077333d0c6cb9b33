"""Help-centre queries for the search speed benchmark (``benchmarks/search_latency.py``).

Hand-written queries as customers type them (short keywords, whole questions, a few typos), plus
the demo articles' FAQ questions paraphrased the way people retype them (lower case, no question
mark, the polite opening dropped). Nothing here comes from the evaluation data sets.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

CONTENT = Path(__file__).resolve().parent.parent / "kb" / "demo_content"

ENGLISH = """
reset password
forgot my password
how do i change my password
cant log in
can't sign in after changing email
two factor authentication
lost my phone 2fa
recovery codes
set up sso with okta
saml single sign on azure ad
who can see the audit log
export audit log
delete my account
export all my data
gdpr data request
leave a workspace
transfer ownership of workspace
roles and permissions
what can a member do
make someone admin
invite my team
invitation email not received
resend invite
remove a user from the workspace
how much does the team plan cost
compare plans
upgrade to business
downgrade plan
cancel subscription
refund after cancelling
change credit card
update payment method
payment failed what now
card declined
add vat number to invoice
tax id on invoices
download invoice pdf
where are my receipts
billing email address change
annual billing discount
free plan limits
how many users on free plan
start a timer
timer keeps running
add time manually
edit a time entry
timer not syncing between phone and laptop
track time offline
submit timesheet for approval
approve timesheets as manager
timesheet reminder email
lock a timesheet period
unlock timesheet
report totals don't match timesheet
profitability report
budget vs actual report
export report to excel
export csv
schedule weekly report email
billable rates per client
set hourly rate for a project
create a project
project templates
archive a project
restore archived project
delete project
create tasks and subtasks
task checklist
board view vs timeline
gantt chart
set project budget
estimate hours on tasks
import projects from spreadsheet
import clients csv
manage clients
connect slack
slack notifications
google calendar sync
outlook calendar integration
jira integration
xero invoices
quickbooks sync not working
integration keeps disconnecting
zapier
api key
rest api authentication
api rate limit
pagination in the api
webhooks events
webhook signature verification
retry failed webhook
partner program
mobile app
desktop app download
app is slow
blank page after login
clear browser cache
notifications not arriving
change workspace name
custom domain
dark mode
change language to spanish
timezone wrong on entries
hwo to reest pasword
invoce download
timesheeet approval
intergration slack
"""

SPANISH = """
restablecer contraseña
olvidé mi contraseña
no puedo iniciar sesión
autenticación en dos pasos
perdí mi móvil y el código
códigos de recuperación
configurar sso con saml
registro de auditoría
eliminar mi cuenta
exportar mis datos
salir de un espacio de trabajo
transferir la propiedad
roles y permisos
invitar a mi equipo
no me llega la invitación
cuánto cuesta el plan team
comparar planes
cancelar la suscripción
cambiar de plan
actualizar método de pago
el pago ha fallado
tarjeta rechazada
añadir nif a la factura
descargar facturas
recibos de pago
iniciar el temporizador
añadir tiempo manualmente
editar una entrada de tiempo
el temporizador no se sincroniza
enviar hoja de horas para aprobar
aprobar hojas de horas
recordatorios de hojas de horas
bloquear un periodo
los totales del informe no coinciden
informe de rentabilidad
exportar informe a excel
programar informes por correo
tarifas facturables por cliente
crear un proyecto
plantillas de proyecto
archivar proyecto
restaurar un proyecto archivado
crear tareas y subtareas
vista de tablero y cronograma
presupuesto del proyecto
importar proyectos desde una hoja de cálculo
conectar con slack
sincronizar google calendar
integración con jira
enviar facturas a xero
la integración se desconecta
clave de la api
límite de peticiones de la api
webhooks eventos
aplicación móvil
la aplicación va lenta
página en blanco
no llegan las notificaciones
contrasena olvidada
facturacion anual
"""

_OPENINGS = re.compile(
    r"^(can i|can we|how do i|how can i|do i|is there a way to|what happens if|"
    r"¿?puedo|¿?cómo|¿?qué pasa si|¿?hay alguna forma de)\s+",
    re.IGNORECASE,
)


def _faq_questions(language: str) -> list[str]:
    questions = []
    for path in sorted((CONTENT / language).glob("*/*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("Q: "):
                questions.append(line[3:].strip())
    return questions


def _retyped(question: str, rng: random.Random) -> str:
    """A FAQ question as a customer would type it into a search box."""
    text = question.strip().rstrip("?").lstrip("¿").replace("*", "")
    text = text.lower()
    if rng.random() < 0.5:
        text = _OPENINGS.sub("", text)
    return " ".join(text.split())


def queries(seed: int = 7) -> list[tuple[str, str]]:
    """(query, locale) pairs in a fixed shuffled order: hand-written and retyped FAQ questions."""
    rng = random.Random(seed)
    pairs = [(q.strip(), "en") for q in ENGLISH.strip().splitlines() if q.strip()]
    pairs += [(q.strip(), "es") for q in SPANISH.strip().splitlines() if q.strip()]
    for language in ("en", "es"):
        pairs += [(_retyped(q, rng), language) for q in _faq_questions(language)]
    unique = list(dict.fromkeys(pairs))
    rng.shuffle(unique)
    return unique


def split(warmup: int = 40, seed: int = 7) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Warm-up queries (never measured) and measured queries."""
    all_queries = queries(seed)
    return all_queries[:warmup], all_queries[warmup:]


if __name__ == "__main__":
    warm, measured = split()
    print(f"{len(warm)} warm-up + {len(measured)} measured queries")
    for text, locale in measured[:20]:
        print(f"  [{locale}] {text}")
