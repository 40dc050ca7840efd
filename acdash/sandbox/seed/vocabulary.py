"""The words the demo data is made of: names, places, tags, lists, users, pipelines,
products, task types and outcomes, note texts and the permission flags of user groups."""


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = _words(
    """James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth
William Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa
Daniel Nancy Matthew Betty Anthony Sandra Mark Margaret Donald Ashley Steven Kimberly
Andrew Emily Paul Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa George
Deborah Timothy Stephanie Ronald Rebecca Jason Laura Edward Sharon Jeffrey Cynthia Ryan
Kathleen Jacob Amy Gary Angela Nicholas Shirley Eric Anna Jonathan Brenda Stephen Pamela
Larry Emma Justin Nicole Scott Helen Brandon Samantha Benjamin Katherine Samuel Christine
Gregory Debra Alexander Rachel Priya Wei Aisha Mateo Sofia Hiroshi Fatima Lukas Chloe
Omar Ingrid Rafael Yuki Noah Zoe Diego Leila Arjun Freya"""
)
LAST_NAMES = _words(
    """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez
Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez
Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright
Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell
Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart
Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly
Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza
Patel Chen Okafor Schmidt Rossi Novak Tanaka Larsen Dubois Silva Kowalski Haddad"""
)
ORG_WORDS = _words(
    """Blue Harbor Summit Crest Iron Oak Silver Pine Golden Gate Red Rock North Star
Bright Path Green Valley Swift River Clear Lake Stone Bridge Maple Leaf Eagle Peak Cedar
Ridge Atlas Beacon Pioneer Vertex Horizon Keystone Lighthouse Meridian"""
)
ORG_KINDS = _words(
    """Logistics Software Foods Health Capital Energy Media Labs Retail Builders
Analytics Robotics Apparel Travel Partners Consulting Systems Dynamics Pharma Motors"""
)
ORG_SUFFIXES = ["Inc.", "LLC", "Ltd", "Group", "Co.", "GmbH", "Corp."]
FREE_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me"]
CITIES = ["New York", "Chicago", "Austin", "Denver", "Seattle", "Boston", "Atlanta", "Miami"]
CITIES += ["Portland", "Phoenix", "San Diego", "Nashville", "Toronto", "Vancouver", "London"]
CITIES += ["Manchester", "Dublin", "Berlin", "Munich", "Paris", "Lyon", "Madrid", "Lisbon"]
CITIES += ["Amsterdam", "Stockholm", "Sydney", "Melbourne", "Auckland", "Singapore", "Tokyo"]
STREETS = ["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Park Blvd", "Lake Rd", "Hill St"]
AREA_CODES = [212, 312, 415, 512, 617, 646, 702, 713, 720, 206, 303, 305, 404, 503, 602]
INDUSTRIES = ["Software", "Retail", "Healthcare", "Finance", "Education", "Manufacturing"]
COMPANY_SIZES = ["1-10", "11-50", "51-200", "201-1000", "1000+"]
INTERESTS = ["Email Marketing", "CRM", "Automation", "Landing Pages", "SMS", "Reporting"]
NEWSLETTER_TOPICS = ["Product news", "Tips & tutorials", "Events", "Case studies"]
CAMPAIGNS = ["spring_promo", "webinar_q4", "partner_referral", "google_ads", "linkedin_abm"]
TAGS = [
    ("customer", "Paying customer"),
    ("lead", "New lead"),
    ("prospect", "Qualified prospect"),
    ("vip", "High-value contact"),
    ("newsletter", "Reads the newsletter"),
    ("webinar-attendee", "Attended a webinar"),
    ("webinar-no-show", "Registered, did not attend"),
    ("trial", "On a free trial"),
    ("trial-expired", "Trial ended without purchase"),
    ("churned", "Former customer"),
    ("partner", "Partner contact"),
    ("reseller", "Resells our product"),
    ("event-2025", "Met at the 2025 conference"),
    ("event-2026", "Registered for the 2026 conference"),
    ("ebook-download", "Downloaded an e-book"),
    ("pricing-page", "Visited the pricing page"),
    ("demo-requested", "Asked for a demo"),
    ("demo-done", "Had a demo"),
    ("decision-maker", ""),
    ("influencer", ""),
    ("technical", "Technical contact"),
    ("billing", "Billing contact"),
    ("support-ticket", "Opened a support ticket"),
    ("nps-promoter", "NPS 9-10"),
    ("nps-detractor", "NPS 0-6"),
    ("referral", "Came through a referral"),
    ("cold-outreach", ""),
    ("do-not-call", "Asked not to be called"),
    ("enterprise", "Enterprise segment"),
    ("smb", "Small business segment"),
    ("emea", "Region: EMEA"),
    ("apac", "Region: APAC"),
    ("americas", "Region: Americas"),
    ("beta-tester", "Tests new features"),
]
LISTS = [
    ("Newsletter", 0.7),
    ("Product Updates", 0.45),
    ("Events & Webinars", 0.3),
    ("Customers", 0.25),
    ("Partners", 0.08),
]
UNSUBSCRIBE_REASONS = ["Too many emails", "No longer relevant", "Never signed up", None]
JOB_TITLES = [
    "CEO",
    "CTO",
    "Marketing Manager",
    "Sales Director",
    "Office Manager",
    "Head of Growth",
    "Account Executive",
    "Operations Lead",
    "Product Manager",
    "",
]
USERS = [
    ("admin", "Alex", "Morgan"),
    ("jordan", "Jordan", "Blake"),
    ("sam", "Sam", "Rivera"),
    ("taylor", "Taylor", "Nguyen"),
    ("casey", "Casey", "Okafor"),
    ("riley", "Riley", "Schmidt"),
]
# (title, share of deals, stages, the users (indexes into USERS) allowed in; None: everyone)
PIPELINES = [
    (
        "Sales Pipeline",
        0.6,
        ["Lead In", "Qualified", "Demo Scheduled", "Proposal Sent", "Negotiation", "Closing"],
        None,
    ),
    ("Renewals", 0.28, ["Upcoming", "In Discussion", "Quote Sent", "Committed"], None),
    (
        "Partnerships",
        0.12,
        ["Intro", "Evaluation", "Agreement Draft", "Legal Review", "Signed"],
        [0, 1],
    ),
]
STAGE_COLORS = ["C481DF", "32B0FC", "18D499", "E6CE4B", "FF8A65", "00ECC5"]
PRODUCTS = [
    "Starter plan",
    "Plus plan",
    "Professional plan",
    "Enterprise plan",
    "Onboarding package",
    "Annual renewal",
    "Seat expansion",
    "Training",
]
TASK_TYPES = ["Call", "Email", "Lunch", "Meeting", "Demo", "Follow-up"]
OUTCOMES = [
    ("Interested", "POSITIVE", "0"),
    ("Not Interested", "NEGATIVE", "0"),
    ("Left a voicemail", "NEUTRAL", "0"),
    ("Meeting booked", "POSITIVE", "0"),
    ("No answer", "NEUTRAL", "0"),
    ("Wrong number", "NEGATIVE", "1"),
]
# Which outcomes each task type offers (indexes into TASK_TYPES / OUTCOMES).
TASKTYPE_OUTCOMES = {0: [0, 1, 2, 4, 5], 1: [0, 1, 3], 3: [0, 1, 3], 4: [0, 1, 3], 5: [0, 2, 4]}
TASK_NOTES = [
    "Call to discuss pricing",
    "Send the proposal",
    "Check in after the demo",
    "Confirm the decision timeline",
    "Share the case study",
    "Book the kick-off",
    "Follow up on the contract",
    "Introduce the account manager",
]
CONTACT_NOTES = [
    "Prefers email over phone.",
    "Met at the trade show booth.",
    "Asked about the API and integrations.",
    "Budget approved for next quarter.",
    "Out of office until the end of the month.",
    "Referred by an existing customer.",
]
DEAL_NOTES = [
    "Sent the updated quote.",
    "Legal is reviewing the contract.",
    "Champion is the head of marketing.",
    "Competing with two other vendors.",
    "Needs SSO before signing.",
    "Asked for a multi-year discount.",
]
GROUP_FLAGS = _words(
    """pgListAdd pgListEdit pgListDelete pgListHeaders pgListEmailaccount
pgListBounce pgMessageAdd pgMessageEdit pgMessageDelete pgMessageSend pgContactAdd
pgContactEdit pgContactDelete pgContactMerge pgContactImport pgContactApprove
pgContactExport pgContactSync pgContactFilters pgContactActions pgContactFields pg_user_add
pg_user_edit pg_user_delete pgGroupAdd pgGroupEdit pgGroupDelete pgTemplateAdd
pgTemplateEdit pgTemplateDelete pgPersonalizationAdd pgPersonalizationEdit
pgPersonalizationDelete pgAutomationManage pgFormEdit pgReportsCampaign pgReportsList
pgReportsUser pgReportsTrend pgStartupReports pgStartupGettingstarted pgDeal pgDealDelete
pgDealReassign pgDealGroupAdd pgDealGroupEdit pgDealGroupDelete
pgSavedResponsesManage"""
)
# Flags a sales rep's group lacks.
ADMIN_ONLY_FLAGS = {
    "pg_user_add",
    "pg_user_edit",
    "pg_user_delete",
    "pgGroupAdd",
    "pgGroupEdit",
    "pgGroupDelete",
    "pgDealGroupDelete",
    "pgListDelete",
}
