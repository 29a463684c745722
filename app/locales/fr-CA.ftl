# Liaison Desk, français canadien. Mêmes clés et mêmes variables que en.ftl (un test le vérifie).
# Terminologie fédérale : docs/glossary.md.

## Le cadre de chaque page
app-name = Liaison Desk
skip-to-content = Passer au contenu
nav-main = Navigation principale
nav-inbox = Boîte de réception
nav-home = Accueil
nav-dashboard = Tableau de bord
nav-cases = Dossiers
nav-users = Utilisateurs
nav-agencies = Organismes
nav-confirmations = Confirmations
nav-audit = Piste de vérification
nav-profile = Profil
search-label = Rechercher
search-placeholder = Dossiers, noms, adresses IP…
sign-out = Se déconnecter
loading = Chargement…
language-switch = Langue
language-current = { $language } (langue actuelle)

## Connexion
sign-in-title = Connexion
sign-in-lead = Liaison Desk est réservé aux agents de liaison, superviseurs et administrateurs autorisés. Chaque action est consignée.
field-username = Nom d'utilisateur
field-password = Mot de passe
sign-in-demo = Démonstration : aucun second facteur n'est exigé pour les comptes de démonstration. Tout autre compte configure une application d'authentification à sa première connexion.
sign-in-second-title = Connexion : second facteur
sign-in-expired = Votre connexion a expiré, ou n'a pas été commencée dans ce navigateur.
sign-in-start-again = Recommencer
sign-in-passkey-title = Utilisez votre clé d'accès
sign-in-passkey-lead = Choisissez « Utiliser une clé d'accès » et confirmez avec votre empreinte, votre visage, le NIP de l'appareil ou une clé de sécurité.
sign-in-both-title = Second facteur
sign-in-both-lead = Utilisez votre clé d'accès, ou saisissez le code à six chiffres que votre application d'authentification affiche pour Liaison Desk.
sign-in-code-title = Saisissez votre code
sign-in-code-lead = Ouvrez votre application d'authentification et saisissez le code à six chiffres qu'elle affiche pour Liaison Desk.
sign-in-lost-passkey = Clé d'accès perdue? Saisissez l'un de vos codes de récupération; chacun ne sert qu'une fois.
sign-in-lost-app = Application perdue? Saisissez plutôt l'un de vos codes de récupération; chacun ne sert qu'une fois.
field-code = Code
field-code-hint = Six chiffres, ou un code de récupération comme abcd-efgh-jkmn.
field-recovery-code = Code de récupération
field-recovery-code-hint = Par exemple abcd-efgh-jkmn.
sign-in-continue-code = Continuer avec le code

## Pages de refus
forbidden-title = Accès refusé
forbidden-text = Votre rôle ne donne pas accès à cette page. Si vous en avez besoin pour votre travail, adressez-vous à votre superviseur ou à un administrateur.
not-found-title = Introuvable
not-found-text = Il n'y a rien à cette adresse, ou vous n'êtes pas autorisé à le consulter.
back-home = Retour à votre page d'accueil

## Accueil d'un administrateur
home-title = Accueil
home-welcome = Bienvenue, { $name }
home-role-at = { $role } à { $agency } ({ $country }).
home-duties-officer = Vous ouvrez des dossiers, envoyez des demandes à vos homologues et répondez aux leurs.
home-duties-supervisor = Vous suivez l'arriéré et le respect des échéances de votre pays, approuvez les demandes sortantes et consultez la piste de vérification de votre côté.
home-duties-admin = Vous gérez les comptes et les organismes et consultez la piste de vérification. Le contenu des dossiers n'est pas visible pour les administrateurs.
home-zone = Les heures sont affichées dans votre fuseau : { $zone }.
home-users-text = Créer des comptes, changer des rôles, déverrouiller et désactiver.
home-agencies-text = Les organismes des deux pays.
home-audit-text = Qui a fait quoi, quand et d'où.
home-profile-text = Votre mot de passe, votre fuseau horaire et votre langue.

## La boîte de réception
inbox-title = Boîte de réception
new-case = Nouveau dossier
inbox-loading = Chargement de votre boîte de réception…
inbox-filter = Filtrer la boîte de réception
filter-status = État
filter-status-open = Ouvertes (envoyées, accusé de réception, en traitement)
filter-priority = Priorité
filter-any-priority = Toute priorité
filter-category = Catégorie
filter-any-category = Toute catégorie
filter-counterpart = Organisme homologue
filter-any-counterpart = Tout homologue
filter-apply = Filtrer
inbox-incoming = Demandes reçues
inbox-times-in = · heures de { $zone }
inbox-incoming-none = Aucune demande reçue ne correspond.
inbox-more-incoming = Plus de demandes reçues →
inbox-outgoing = Demandes envoyées
inbox-outgoing-none = Aucune demande envoyée n'est ouverte.
inbox-my-cases = Mes dossiers
inbox-my-cases-none = Vous ne dirigez aucun dossier ouvert.

## Tableaux des demandes et des dossiers
col-due = Échéance
col-subject = Objet
col-from = De
col-to = À
col-from-to = De → à
col-priority = Priorité
col-status = État
col-case = Dossier
col-reference = Référence
col-title = Titre
col-category = Catégorie
col-lead = Responsable
col-open-requests = Demandes ouvertes
col-updated = Mis à jour
col-selected = Sélection
cases-caption = Dossiers
select-case = Sélectionner { $reference }

## Échéances
no-deadline = Aucune échéance
overdue = En retard
tlp-title = Code de diffusion du protocole TLP
due-in = dans { $span }
overdue-by = en retard de { $span }
span-days-hours = { $days } j { $hours } h
span-hours-minutes = { $hours } h { $minutes } min
span-minutes = { $minutes } min

## The case list
cases-title = Dossiers
cases-filter = Filtrer les dossiers
cases-search = Titre, référence ou résumé
filter-search = Rechercher
cases-loading = Chargement des dossiers…
cases-led-by = Sous la responsabilité de { $name }
cases-another-officer = un autre agent
cases-every-lead = Afficher les dossiers de tous les responsables
cases-csv = Télécharger ces dossiers en CSV
cases-none = Aucun dossier ne correspond.
cases-more = Plus de dossiers →
cases-not-archived = Non archivés
cases-open-or-active = Ouverts ou actifs

## The request list
requests-title = Demandes
requests-loading = Chargement des demandes…
requests-csv = Télécharger ces demandes en CSV
requests-none = Aucune demande ne correspond.
more = Plus →
requests-heading-outgoing = Demandes que nous avons envoyées
requests-heading-both = Demandes envoyées et reçues
requests-heading-incoming = Demandes que nous avons reçues
requests-part-window = envoyées dans les { $days } derniers jours, réponse attendue
requests-part-sent-week = envoyées la semaine du { $week }
requests-part-answered-week = répondues la semaine du { $week }
requests-part-overdue = en retard
requests-part-due-soon = échéance dans les 24 heures
requests-part-awaiting = en attente de réponse
requests-part-not-taken = pas encore prises en charge
requests-part-in-charge = sous la responsabilité de { $name }
requests-filter = Filtrer les demandes
filter-direction = Sens
direction-incoming = Reçues
direction-outgoing = Envoyées
direction-both = Envoyées et reçues
filter-any-status = Tout état
filter-awaiting = En attente de réponse
filter-overdue-only = En retard seulement
filter-due-soon = Échéance dans les 24 heures
filter-clear = Effacer les filtres

## Notifications
notifications-title = Notifications
notifications-mark-all = Tout marquer comme lu
notifications-none = Aucune notification pour l'instant.
notifications-mark-one = Marquer comme lu

## Ensembles fermés (états, types, cotes…)
Role-officer = Agent de liaison
Role-supervisor = Superviseur
Role-admin = Administrateur
Country-IN = Inde
Country-CA = Canada
UserStatus-active = Actif
UserStatus-disabled = Désactivé
Category-cyber_incident = Cyberincident
Category-ransomware = Rançongiciel
Category-drug_precursors = Précurseurs de drogues
Category-organised_crime = Crime organisé
Category-fraud = Fraude
Category-immigration = Immigration
Category-violent_extremism = Extrémisme violent
Category-other = Autre
Priority-urgent = Urgente
Priority-high = Élevée
Priority-normal = Normale
Priority-low = Faible
CaseStatus-open = Ouvert
CaseStatus-active = Actif
CaseStatus-closed = Fermé
CaseStatus-archived = Archivé
RequestKind-information = Demande de renseignements
RequestKind-assistance = Demande d'assistance
RequestKind-evidence_preservation = Conservation de preuves
RequestKind-intelligence_share = Communication de renseignements
RequestKind-clarification = Demande de précisions
RequestStatus-draft = Ébauche
RequestStatus-awaiting_approval = En attente d'approbation
RequestStatus-sent = Envoyée
RequestStatus-acknowledged = Accusé de réception
RequestStatus-in_progress = En traitement
RequestStatus-answered = Répondue
RequestStatus-closed = Fermée
RequestStatus-declined = Refusée
RequestStatus-withdrawn = Retirée
ResponseKind-partial_answer = Réponse partielle
ResponseKind-final_answer = Réponse finale
ResponseKind-clarification_request = Précisions demandées
ResponseKind-clarification = Précisions fournies
ResponseKind-refusal = Refus motivé
SourceGrade-A = A : aucun doute sur la source
SourceGrade-B = B : source généralement fiable
SourceGrade-C = C : source peu fiable
SourceGrade-X = X : fiabilité impossible à évaluer
InfoGrade-1 = 1 : exactitude connue sans réserve
InfoGrade-2 = 2 : connu personnellement de la source
InfoGrade-3 = 3 : non connu personnellement, corroboré
InfoGrade-4 = 4 : impossible à évaluer
IndicatorKind-ipv4 = Adresse IPv4
IndicatorKind-ipv6 = Adresse IPv6
IndicatorKind-domain = Domaine
IndicatorKind-url = URL
IndicatorKind-md5 = Empreinte MD5
IndicatorKind-sha1 = Empreinte SHA-1
IndicatorKind-sha256 = Empreinte SHA-256
IndicatorKind-email = Adresse courriel
IndicatorKind-crypto_wallet = Portefeuille de cryptomonnaie
EntityKind-person = Personne
EntityKind-company = Entreprise
EntityKind-vessel = Navire
ChangeKind-create = Nouveau compte
ChangeKind-update = Changement de rôle ou d'organisme
ChangeKind-enable = Réactivation
ChangeKind-reset_password = Réinitialisation du mot de passe
ChangeKind-reset_second_factor = Réinitialisation du second facteur
ChangeDecision-confirmed = Confirmé
ChangeDecision-refused = Refusé
ChangeDecision-withdrawn = Retiré
