# Liaison Desk, हिन्दी। en.ftl जैसी ही कुंजियाँ और चर (एक परीक्षण जाँचता है)। शब्दावली: docs/glossary.md।

## हर पृष्ठ का ढाँचा
app-name = Liaison Desk
skip-to-content = सामग्री पर जाएँ
nav-main = मुख्य
nav-inbox = इनबॉक्स
nav-home = मुखपृष्ठ
nav-dashboard = डैशबोर्ड
nav-cases = मामले
nav-users = उपयोगकर्ता
nav-agencies = एजेंसियाँ
nav-confirmations = पुष्टियाँ
nav-audit = ऑडिट ट्रेल
nav-profile = प्रोफ़ाइल
search-label = खोजें
search-placeholder = मामले, नाम, आईपी…
sign-out = साइन आउट
loading = लोड हो रहा है…
language-switch = भाषा
language-current = { $language } (वर्तमान)

## साइन इन
sign-in-title = साइन इन
sign-in-lead = Liaison Desk केवल अधिकृत संपर्क अधिकारियों, पर्यवेक्षकों और प्रशासकों के लिए है। हर कार्रवाई दर्ज की जाती है।
field-username = उपयोगकर्ता नाम
field-password = पासवर्ड
sign-in-demo = डेमो: डेमो खातों के लिए दूसरा कारक आवश्यक नहीं है। हर अन्य खाता पहली बार साइन इन करते समय एक ऑथेंटिकेटर ऐप सेट करता है।
sign-in-second-title = साइन इन: दूसरा कारक
sign-in-expired = आपका साइन इन समाप्त हो गया है, या इस ब्राउज़र में शुरू नहीं हुआ था।
sign-in-start-again = फिर से शुरू करें
sign-in-passkey-title = अपनी पासकी का उपयोग करें
sign-in-passkey-lead = "पासकी का उपयोग करें" चुनें और अपनी उँगली की छाप, चेहरे, डिवाइस पिन या सुरक्षा कुंजी से पुष्टि करें।
sign-in-both-title = दूसरा कारक
sign-in-both-lead = अपनी पासकी का उपयोग करें, या आपका ऑथेंटिकेटर ऐप Liaison Desk के लिए जो छह अंकों का कोड दिखाता है, वह लिखें।
sign-in-code-title = अपना कोड लिखें
sign-in-code-lead = अपना ऑथेंटिकेटर ऐप खोलें और Liaison Desk के लिए दिखाया गया छह अंकों का कोड लिखें।
sign-in-lost-passkey = पासकी खो गई? अपने रिकवरी कोड में से एक लिखें; हर कोड एक ही बार चलता है।
sign-in-lost-app = ऐप खो गया? इसके बजाय अपने रिकवरी कोड में से एक लिखें; हर कोड एक ही बार चलता है।
field-code = कोड
field-code-hint = छह अंक, या abcd-efgh-jkmn जैसा रिकवरी कोड।
field-recovery-code = रिकवरी कोड
field-recovery-code-hint = जैसे abcd-efgh-jkmn।
sign-in-continue-code = कोड के साथ आगे बढ़ें

## अस्वीकृति पृष्ठ
forbidden-title = पहुँच अस्वीकृत
forbidden-text = आपकी भूमिका से इस पृष्ठ तक पहुँच नहीं मिलती। यदि आपके काम के लिए इसकी आवश्यकता है, तो अपने पर्यवेक्षक या किसी प्रशासक से पूछें।
not-found-title = नहीं मिला
not-found-text = इस पते पर कुछ नहीं है, या आपको इसे देखने का अधिकार नहीं है।
back-home = अपने मुखपृष्ठ पर लौटें

## प्रशासक का मुखपृष्ठ
home-title = मुखपृष्ठ
home-welcome = स्वागत है, { $name }
home-role-at = { $role }, { $agency } ({ $country })।
home-duties-officer = आप मामले खोलते हैं, अपने समकक्षों को अनुरोध भेजते हैं और उनके अनुरोधों का उत्तर देते हैं।
home-duties-supervisor = आप अपने देश के लंबित कार्य और समयबद्धता की समीक्षा करते हैं, भेजे जाने वाले अनुरोधों को स्वीकृत करते हैं और अपने पक्ष की ऑडिट ट्रेल पढ़ते हैं।
home-duties-admin = आप खाते और एजेंसियाँ सँभालते हैं और ऑडिट ट्रेल पढ़ते हैं। मामलों की सामग्री प्रशासकों को नहीं दिखती।
home-zone = समय आपके क्षेत्र में दिखाए जाते हैं: { $zone }।
home-users-text = खाते बनाएँ, भूमिकाएँ बदलें, अनलॉक और निष्क्रिय करें।
home-agencies-text = दोनों देशों की एजेंसियाँ।
home-audit-text = किसने क्या किया, कब और कहाँ से।
home-profile-text = आपका पासवर्ड, समय क्षेत्र और भाषा।

## इनबॉक्स
inbox-title = इनबॉक्स
new-case = नया मामला
inbox-loading = आपका इनबॉक्स लोड हो रहा है…
inbox-filter = इनबॉक्स छाँटें
filter-status = स्थिति
filter-status-open = खुले (भेजे गए, पावती दी गई, कार्रवाई जारी)
filter-priority = प्राथमिकता
filter-any-priority = कोई भी प्राथमिकता
filter-category = श्रेणी
filter-any-category = कोई भी श्रेणी
filter-counterpart = समकक्ष एजेंसी
filter-any-counterpart = कोई भी समकक्ष
filter-apply = छाँटें
inbox-incoming = आने वाले अनुरोध
inbox-times-in = · समय { $zone } में
inbox-incoming-none = कोई आने वाला अनुरोध मेल नहीं खाता।
inbox-more-incoming = और आने वाले अनुरोध →
inbox-outgoing = भेजे गए अनुरोध
inbox-outgoing-none = कोई भेजा गया अनुरोध खुला नहीं है।
inbox-my-cases = मेरे मामले
inbox-my-cases-none = आप किसी खुले मामले के प्रमुख नहीं हैं।

## अनुरोधों और मामलों की तालिकाएँ
col-due = नियत समय
col-subject = विषय
col-from = किससे
col-to = किसको
col-from-to = किससे → किसको
col-priority = प्राथमिकता
col-status = स्थिति
col-case = मामला
col-reference = संदर्भ
col-title = शीर्षक
col-category = श्रेणी
col-lead = प्रमुख
col-open-requests = खुले अनुरोध
col-updated = अद्यतन
col-selected = चुना गया
cases-caption = मामले
select-case = { $reference } चुनें

## समय-सीमा
no-deadline = कोई समय-सीमा नहीं
overdue = समय-सीमा पार
tlp-title = ट्रैफ़िक लाइट प्रोटोकॉल प्रबंधन कोड
due-in = { $span } में
overdue-by = { $span } से समय-सीमा पार
span-days-hours = { $days } दिन { $hours } घं
span-hours-minutes = { $hours } घं { $minutes } मि
span-minutes = { $minutes } मि

## The case list
cases-title = मामले
cases-filter = मामले छाँटें
cases-search = शीर्षक, संदर्भ या सारांश में खोजें
filter-search = खोजें
cases-loading = मामले लोड हो रहे हैं…
cases-led-by = प्रमुख: { $name }
cases-another-officer = अन्य अधिकारी
cases-every-lead = सभी प्रमुखों के मामले दिखाएँ
cases-csv = ये मामले CSV में डाउनलोड करें
cases-none = कोई मामला मेल नहीं खाता।
cases-more = और मामले →
cases-not-archived = असंग्रहीत
cases-open-or-active = खुले या सक्रिय

## The request list
requests-title = अनुरोध
requests-loading = अनुरोध लोड हो रहे हैं…
requests-csv = ये अनुरोध CSV में डाउनलोड करें
requests-none = कोई अनुरोध मेल नहीं खाता।
more = और →
requests-heading-outgoing = हमारे भेजे गए अनुरोध
requests-heading-both = भेजे और प्राप्त अनुरोध
requests-heading-incoming = हमें प्राप्त अनुरोध
requests-part-window = पिछले { $days } दिनों में भेजे गए, उत्तर अपेक्षित
requests-part-sent-week = { $week } वाले सप्ताह में भेजे गए
requests-part-answered-week = { $week } वाले सप्ताह में उत्तर दिए गए
requests-part-overdue = समय-सीमा पार
requests-part-due-soon = 24 घंटे के भीतर नियत
requests-part-awaiting = उत्तर की प्रतीक्षा
requests-part-not-taken = अभी किसी ने नहीं लिया
requests-part-in-charge = { $name } के ज़िम्मे
requests-filter = अनुरोध छाँटें
filter-direction = दिशा
direction-incoming = हमें प्राप्त
direction-outgoing = हमारे भेजे गए
direction-both = भेजे और प्राप्त
filter-any-status = कोई भी स्थिति
filter-awaiting = उत्तर की प्रतीक्षा
filter-overdue-only = केवल समय-सीमा पार
filter-due-soon = 24 घंटे के भीतर नियत
filter-clear = फ़िल्टर हटाएँ

## Notifications
notifications-title = सूचनाएँ
notifications-mark-all = सभी को पढ़ा हुआ चिह्नित करें
notifications-none = अभी कोई सूचना नहीं।
notifications-mark-one = पढ़ा हुआ चिह्नित करें

## बंद सूचियाँ (स्थितियाँ, प्रकार, श्रेणियाँ…)
Role-officer = संपर्क अधिकारी
Role-supervisor = पर्यवेक्षक
Role-admin = प्रशासक
Country-IN = भारत
Country-CA = कनाडा
UserStatus-active = सक्रिय
UserStatus-disabled = निष्क्रिय
Category-cyber_incident = साइबर घटना
Category-ransomware = रैनसमवेयर
Category-drug_precursors = मादक पदार्थ पूर्ववर्ती रसायन
Category-organised_crime = संगठित अपराध
Category-fraud = धोखाधड़ी
Category-immigration = आप्रवासन
Category-violent_extremism = हिंसक उग्रवाद
Category-other = अन्य
Priority-urgent = अति आवश्यक
Priority-high = उच्च
Priority-normal = सामान्य
Priority-low = निम्न
CaseStatus-open = खुला
CaseStatus-active = सक्रिय
CaseStatus-closed = बंद
CaseStatus-archived = संग्रहीत
RequestKind-information = सूचना अनुरोध
RequestKind-assistance = सहायता अनुरोध
RequestKind-evidence_preservation = साक्ष्य संरक्षण
RequestKind-intelligence_share = आसूचना साझा करना
RequestKind-clarification = स्पष्टीकरण का अनुरोध
RequestStatus-draft = प्रारूप
RequestStatus-awaiting_approval = स्वीकृति की प्रतीक्षा
RequestStatus-sent = भेजा गया
RequestStatus-acknowledged = पावती दी गई
RequestStatus-in_progress = कार्रवाई जारी
RequestStatus-answered = उत्तर दिया गया
RequestStatus-closed = बंद
RequestStatus-declined = अस्वीकृत
RequestStatus-withdrawn = वापस लिया गया
ResponseKind-partial_answer = आंशिक उत्तर
ResponseKind-final_answer = अंतिम उत्तर
ResponseKind-clarification_request = स्पष्टीकरण माँगा गया
ResponseKind-clarification = स्पष्टीकरण दिया गया
ResponseKind-refusal = कारण सहित अस्वीकृति
SourceGrade-A = A: स्रोत पर कोई संदेह नहीं
SourceGrade-B = B: स्रोत अधिकतर विश्वसनीय
SourceGrade-C = C: स्रोत विश्वसनीय नहीं
SourceGrade-X = X: विश्वसनीयता आँकी नहीं जा सकती
InfoGrade-1 = 1: बिना संदेह सत्य ज्ञात
InfoGrade-2 = 2: स्रोत को व्यक्तिगत रूप से ज्ञात
InfoGrade-3 = 3: व्यक्तिगत रूप से ज्ञात नहीं, पुष्ट
InfoGrade-4 = 4: आँका नहीं जा सकता
IndicatorKind-ipv4 = IPv4 पता
IndicatorKind-ipv6 = IPv6 पता
IndicatorKind-domain = डोमेन
IndicatorKind-url = URL
IndicatorKind-md5 = MD5 हैश
IndicatorKind-sha1 = SHA-1 हैश
IndicatorKind-sha256 = SHA-256 हैश
IndicatorKind-email = ईमेल पता
IndicatorKind-crypto_wallet = क्रिप्टो वॉलेट
EntityKind-person = व्यक्ति
EntityKind-company = कंपनी
EntityKind-vessel = जलयान
ChangeKind-create = नया खाता
ChangeKind-update = भूमिका या एजेंसी में बदलाव
ChangeKind-enable = पुनः सक्रिय करना
ChangeKind-reset_password = पासवर्ड रीसेट
ChangeKind-reset_second_factor = दूसरा कारक रीसेट
ChangeDecision-confirmed = पुष्टि की गई
ChangeDecision-refused = अस्वीकार किया गया
ChangeDecision-withdrawn = वापस लिया गया
