# Liaison Desk, English. One message per thing the product says; fr-CA.ftl and hi.ftl have the same keys
# and placeholders (a test checks). Domain words: docs/glossary.md.

## The frame of every page
app-name = Liaison Desk
skip-to-content = Skip to content
nav-main = Main
nav-inbox = Inbox
nav-home = Home
nav-dashboard = Dashboard
nav-cases = Cases
nav-users = Users
nav-agencies = Agencies
nav-confirmations = Confirmations
nav-audit = Audit trail
nav-profile = Profile
search-label = Search
search-placeholder = Cases, names, IPs…
sign-out = Sign out
loading = Loading…
language-switch = Language
language-current = { $language } (current)

## Sign-in
sign-in-title = Sign in
sign-in-lead = Liaison Desk is for authorised liaison officers, supervisors and administrators. Every action is recorded.
field-username = Username
field-password = Password
sign-in-demo = Demo: second factor not required for the demo accounts. Every other account sets up an authenticator app at its first sign-in.
sign-in-second-title = Sign in: second factor
sign-in-expired = Your sign-in has expired, or was not started in this browser.
sign-in-start-again = Start again
sign-in-passkey-title = Use your passkey
sign-in-passkey-lead = Choose "Use a passkey" and confirm with your fingerprint, face, device PIN or security key.
sign-in-both-title = Second factor
sign-in-both-lead = Use your passkey, or type the six-digit code your authenticator app shows for Liaison Desk.
sign-in-code-title = Enter your code
sign-in-code-lead = Open your authenticator app and type the six-digit code it shows for Liaison Desk.
sign-in-lost-passkey = Lost your passkey? Type one of your recovery codes; each works once.
sign-in-lost-app = Lost the app? Type one of your recovery codes instead; each works once.
field-code = Code
field-code-hint = Six digits, or a recovery code such as abcd-efgh-jkmn.
field-recovery-code = Recovery code
field-recovery-code-hint = Such as abcd-efgh-jkmn.
sign-in-continue-code = Continue with the code

## Refusal pages
forbidden-title = Access denied
forbidden-text = Your role does not give access to this page. If you need it for your work, ask your supervisor or an administrator.
not-found-title = Not found
not-found-text = There is nothing at this address, or you are not entitled to see it.
back-home = Back to your home page

## An admin's home page
home-title = Home
home-welcome = Welcome, { $name }
home-role-at = { $role } at { $agency } ({ $country }).
home-duties-officer = You open cases, send requests to your counterparts and answer theirs.
home-duties-supervisor = You review your country's backlog and timeliness, approve outgoing requests and read your side's audit trail.
home-duties-admin = You manage accounts and agencies and read the audit trail. Case contents are not visible to administrators.
home-zone = Times are shown in your zone: { $zone }.
home-users-text = Create accounts, change roles, unlock and disable.
home-agencies-text = The agencies of both countries.
home-audit-text = Who did what, when, from where.
home-profile-text = Your password, time zone and language.

## The inbox
inbox-title = Inbox
new-case = New case
inbox-loading = Loading your inbox…
inbox-filter = Filter the inbox
filter-status = Status
filter-status-open = Open (sent, acknowledged, in progress)
filter-priority = Priority
filter-any-priority = Any priority
filter-category = Category
filter-any-category = Any category
filter-counterpart = Counterpart agency
filter-any-counterpart = Any counterpart
filter-apply = Filter
inbox-incoming = Incoming requests
inbox-times-in = · times in { $zone }
inbox-incoming-none = No incoming request matches.
inbox-more-incoming = More incoming requests →
inbox-outgoing = Outgoing requests
inbox-outgoing-none = No outgoing request is open.
inbox-my-cases = My cases
inbox-my-cases-none = You lead no open case.

## Tables of requests and cases
col-due = Due
col-subject = Subject
col-from = From
col-to = To
col-from-to = From → to
col-priority = Priority
col-status = Status
col-case = Case
col-reference = Reference
col-title = Title
col-category = Category
col-lead = Lead
col-open-requests = Open requests
col-updated = Updated
col-selected = Selected
cases-caption = Cases
select-case = Select { $reference }

## Deadlines
no-deadline = No deadline
overdue = Overdue
tlp-title = Traffic Light Protocol handling code
due-in = in { $span }
overdue-by = overdue by { $span }
span-days-hours = { $days } d { $hours } h
span-hours-minutes = { $hours } h { $minutes } min
span-minutes = { $minutes } min

## The case list
cases-title = Cases
cases-filter = Filter cases
cases-search = Search title, reference or summary
filter-search = Search
cases-loading = Loading cases…
cases-led-by = Led by { $name }
cases-another-officer = another officer
cases-every-lead = Show every lead’s cases
cases-csv = Download these cases as CSV
cases-none = No case matches.
cases-more = More cases →
cases-not-archived = Not archived
cases-open-or-active = Open or active

## The request list
requests-title = Requests
requests-loading = Loading requests…
requests-csv = Download these requests as CSV
requests-none = No request matches.
more = More →
requests-heading-outgoing = Requests sent by us
requests-heading-both = Requests sent and received
requests-heading-incoming = Requests received by us
requests-part-window = sent in the last { $days } days, answer expected
requests-part-sent-week = sent in the week of { $week }
requests-part-answered-week = answered in the week of { $week }
requests-part-overdue = overdue
requests-part-due-soon = due within 24 hours
requests-part-awaiting = awaiting an answer
requests-part-not-taken = not yet taken
requests-part-in-charge = in the charge of { $name }
requests-filter = Filter requests
filter-direction = Direction
direction-incoming = Received by us
direction-outgoing = Sent by us
direction-both = Sent and received
filter-any-status = Any status
filter-awaiting = Awaiting an answer
filter-overdue-only = Overdue only
filter-due-soon = Due within 24 hours
filter-clear = Clear filters

## Notifications
notifications-title = Notifications
notifications-mark-all = Mark all read
notifications-none = No notification yet.
notifications-mark-one = Mark read

## Closed sets (statuses, kinds, grades…): <set>-<stored value>
Role-officer = Liaison officer
Role-supervisor = Supervisor
Role-admin = Admin
Country-IN = India
Country-CA = Canada
UserStatus-active = Active
UserStatus-disabled = Disabled
Category-cyber_incident = Cyber incident
Category-ransomware = Ransomware
Category-drug_precursors = Drug precursors
Category-organised_crime = Organised crime
Category-fraud = Fraud
Category-immigration = Immigration
Category-violent_extremism = Violent extremism
Category-other = Other
Priority-urgent = Urgent
Priority-high = High
Priority-normal = Normal
Priority-low = Low
CaseStatus-open = Open
CaseStatus-active = Active
CaseStatus-closed = Closed
CaseStatus-archived = Archived
RequestKind-information = Information request
RequestKind-assistance = Assistance request
RequestKind-evidence_preservation = Evidence preservation
RequestKind-intelligence_share = Intelligence share
RequestKind-clarification = Request for clarification
RequestStatus-draft = Draft
RequestStatus-awaiting_approval = Awaiting approval
RequestStatus-sent = Sent
RequestStatus-acknowledged = Acknowledged
RequestStatus-in_progress = In progress
RequestStatus-answered = Answered
RequestStatus-closed = Closed
RequestStatus-declined = Declined
RequestStatus-withdrawn = Withdrawn
ResponseKind-partial_answer = Partial answer
ResponseKind-final_answer = Final answer
ResponseKind-clarification_request = Clarification asked
ResponseKind-clarification = Clarification given
ResponseKind-refusal = Refusal with grounds
SourceGrade-A = A: no doubt about the source
SourceGrade-B = B: source mostly reliable
SourceGrade-C = C: source not reliable
SourceGrade-X = X: reliability cannot be judged
InfoGrade-1 = 1: known true without reservation
InfoGrade-2 = 2: known personally to the source
InfoGrade-3 = 3: not known personally, corroborated
InfoGrade-4 = 4: cannot be judged
IndicatorKind-ipv4 = IPv4 address
IndicatorKind-ipv6 = IPv6 address
IndicatorKind-domain = Domain
IndicatorKind-url = URL
IndicatorKind-md5 = MD5 hash
IndicatorKind-sha1 = SHA-1 hash
IndicatorKind-sha256 = SHA-256 hash
IndicatorKind-email = Email address
IndicatorKind-crypto_wallet = Crypto wallet
EntityKind-person = Person
EntityKind-company = Company
EntityKind-vessel = Vessel
ChangeKind-create = New account
ChangeKind-update = Role or agency change
ChangeKind-enable = Re-enabling
ChangeKind-reset_password = Password reset
ChangeKind-reset_second_factor = Second factor reset
ChangeDecision-confirmed = Confirmed
ChangeDecision-refused = Refused
ChangeDecision-withdrawn = Withdrawn
