import type { Language } from '../entities/user.ts';

/**
 * Every e-mail the system sends, in it/en/fr/de. A template is a subject, paragraphs and an
 * optional call to action; `render` makes the plain-text and the HTML part from it.
 * Placeholders are `{name}`; values are escaped in the HTML part.
 */
interface Copy {
  subject: string;
  paragraphs: string[];
  action?: string;
}

const templates = {
  invitation: {
    it: {
      subject: 'Invito a unirti a {organizationName}',
      paragraphs: [
        '{inviterEmail} ti invita a gestire l’account cliente {organizationName} nel Manager.',
        'Se non hai ancora un identificativo di accesso, ne creerai uno prima di accettare.',
        'L’invito scade il {expiresAt}.',
      ],
      action: 'Accetta l’invito',
    },
    en: {
      subject: 'Invitation to join {organizationName}',
      paragraphs: [
        '{inviterEmail} invites you to manage the customer account {organizationName} in the Manager.',
        'If you do not have a login yet, you will create one before accepting.',
        'The invitation expires on {expiresAt}.',
      ],
      action: 'Accept the invitation',
    },
    fr: {
      subject: 'Invitation à rejoindre {organizationName}',
      paragraphs: [
        '{inviterEmail} vous invite à gérer le compte client {organizationName} dans le Manager.',
        'Si vous n’avez pas encore d’identifiant, vous en créerez un avant d’accepter.',
        'L’invitation expire le {expiresAt}.',
      ],
      action: 'Accepter l’invitation',
    },
    de: {
      subject: 'Einladung zu {organizationName}',
      paragraphs: [
        '{inviterEmail} lädt Sie ein, das Kundenkonto {organizationName} im Manager zu verwalten.',
        'Falls Sie noch kein Login haben, erstellen Sie eines, bevor Sie annehmen.',
        'Die Einladung läuft am {expiresAt} ab.',
      ],
      action: 'Einladung annehmen',
    },
  },
  invitationAccepted: {
    it: {
      subject: '{inviteeEmail} ha accettato il tuo invito',
      paragraphs: ['{inviteeEmail} ha ora accesso all’account cliente {organizationName}.'],
    },
    en: {
      subject: '{inviteeEmail} accepted your invitation',
      paragraphs: ['{inviteeEmail} now has access to the customer account {organizationName}.'],
    },
    fr: {
      subject: '{inviteeEmail} a accepté votre invitation',
      paragraphs: ['{inviteeEmail} a maintenant accès au compte client {organizationName}.'],
    },
    de: {
      subject: '{inviteeEmail} hat Ihre Einladung angenommen',
      paragraphs: ['{inviteeEmail} hat jetzt Zugriff auf das Kundenkonto {organizationName}.'],
    },
  },
  invitationExpired: {
    it: {
      subject: 'Il tuo invito a {inviteeEmail} è scaduto',
      paragraphs: ['L’invito a {inviteeEmail} per {organizationName} è scaduto. Puoi inviarne uno nuovo.'],
    },
    en: {
      subject: 'Your invitation to {inviteeEmail} expired',
      paragraphs: ['The invitation of {inviteeEmail} to {organizationName} expired. You can send a new one.'],
    },
    fr: {
      subject: 'Votre invitation à {inviteeEmail} a expiré',
      paragraphs: [
        'L’invitation de {inviteeEmail} à {organizationName} a expiré. Vous pouvez en envoyer une nouvelle.',
      ],
    },
    de: {
      subject: 'Ihre Einladung an {inviteeEmail} ist abgelaufen',
      paragraphs: [
        'Die Einladung von {inviteeEmail} zu {organizationName} ist abgelaufen. Sie können eine neue senden.',
      ],
    },
  },
  recoveryEmailConfirmation: {
    it: {
      subject: 'Conferma il tuo nuovo indirizzo e-mail di recupero',
      paragraphs: [
        'Conferma che questo indirizzo sarà l’e-mail di recupero del tuo identificativo {loginEmail}.',
        'Fino alla conferma resta valido l’indirizzo attuale. Il link scade il {expiresAt}.',
      ],
      action: 'Conferma l’indirizzo',
    },
    en: {
      subject: 'Confirm your new recovery e-mail address',
      paragraphs: [
        'Confirm that this address becomes the recovery e-mail of your login {loginEmail}.',
        'Until you confirm, the current address stays in force. The link expires on {expiresAt}.',
      ],
      action: 'Confirm the address',
    },
    fr: {
      subject: 'Confirmez votre nouvelle adresse e-mail de récupération',
      paragraphs: [
        'Confirmez que cette adresse devient l’e-mail de récupération de votre identifiant {loginEmail}.',
        'Jusqu’à la confirmation, l’adresse actuelle reste valable. Le lien expire le {expiresAt}.',
      ],
      action: 'Confirmer l’adresse',
    },
    de: {
      subject: 'Bestätigen Sie Ihre neue Wiederherstellungs-E-Mail-Adresse',
      paragraphs: [
        'Bestätigen Sie, dass diese Adresse die Wiederherstellungsadresse Ihres Logins {loginEmail} wird.',
        'Bis zur Bestätigung bleibt die bisherige Adresse gültig. Der Link läuft am {expiresAt} ab.',
      ],
      action: 'Adresse bestätigen',
    },
  },
  passwordReset: {
    it: {
      subject: 'Reimposta la password del Manager',
      paragraphs: [
        'È stata chiesta una nuova password per l’identificativo {loginEmail}.',
        'Se non sei stato tu, ignora questo messaggio. Il link scade il {expiresAt}.',
      ],
      action: 'Scegli una nuova password',
    },
    en: {
      subject: 'Reset your Manager password',
      paragraphs: [
        'A new password was requested for the login {loginEmail}.',
        'If this was not you, ignore this message. The link expires on {expiresAt}.',
      ],
      action: 'Choose a new password',
    },
    fr: {
      subject: 'Réinitialisez votre mot de passe du Manager',
      paragraphs: [
        'Un nouveau mot de passe a été demandé pour l’identifiant {loginEmail}.',
        'Si ce n’était pas vous, ignorez ce message. Le lien expire le {expiresAt}.',
      ],
      action: 'Choisir un nouveau mot de passe',
    },
    de: {
      subject: 'Setzen Sie Ihr Manager-Passwort zurück',
      paragraphs: [
        'Für das Login {loginEmail} wurde ein neues Passwort angefordert.',
        'Falls Sie das nicht waren, ignorieren Sie diese Nachricht. Der Link läuft am {expiresAt} ab.',
      ],
      action: 'Neues Passwort wählen',
    },
  },
  legalRepresentativeChanged: {
    it: {
      subject: 'Nuovo rappresentante legale di {organizationName}',
      paragraphs: [
        '{newRepresentativeEmail} è ora il rappresentante legale dell’account cliente {organizationName}.',
      ],
    },
    en: {
      subject: 'New legal representative of {organizationName}',
      paragraphs: [
        '{newRepresentativeEmail} is now the legal representative of the customer account {organizationName}.',
      ],
    },
    fr: {
      subject: 'Nouveau représentant légal de {organizationName}',
      paragraphs: [
        '{newRepresentativeEmail} est maintenant le représentant légal du compte client {organizationName}.',
      ],
    },
    de: {
      subject: 'Neuer gesetzlicher Vertreter von {organizationName}',
      paragraphs: [
        '{newRepresentativeEmail} ist jetzt gesetzlicher Vertreter des Kundenkontos {organizationName}.',
      ],
    },
  },
  renewalReminder: {
    it: {
      subject: 'Rinnova i prodotti di {organizationName}',
      paragraphs: [
        'I seguenti prodotti dell’account cliente {organizationName} scadono a breve o sono scaduti:',
        '{products}',
        'Ti raccomandiamo di pagare con largo anticipo, per non perdere un nome di dominio e per evitare il blocco di un prodotto.',
      ],
      action: 'Vai a «Da pagare»',
    },
    en: {
      subject: 'Renew the products of {organizationName}',
      paragraphs: [
        'These products of the customer account {organizationName} expire soon or have expired:',
        '{products}',
        'We recommend paying well in advance so that no domain name is lost and no product is blocked.',
      ],
      action: 'Go to "To pay"',
    },
    fr: {
      subject: 'Renouvelez les produits de {organizationName}',
      paragraphs: [
        'Ces produits du compte client {organizationName} arrivent à échéance ou sont échus :',
        '{products}',
        'Nous vous recommandons de payer bien à l’avance pour ne perdre aucun nom de domaine et éviter le blocage d’un produit.',
      ],
      action: 'Aller à « À payer »',
    },
    de: {
      subject: 'Erneuern Sie die Produkte von {organizationName}',
      paragraphs: [
        'Diese Produkte des Kundenkontos {organizationName} laufen bald ab oder sind abgelaufen:',
        '{products}',
        'Wir empfehlen, frühzeitig zu bezahlen, damit kein Domainname verloren geht und kein Produkt gesperrt wird.',
      ],
      action: 'Zu «Zu bezahlen»',
    },
  },
  deletionConfirmation: {
    it: {
      subject: 'Conferma la cancellazione di {organizationName}',
      paragraphs: [
        'Hai chiesto di cancellare l’account cliente {organizationName}. Utenti, inviti, logo e dati personali saranno eliminati; le fatture sono conservate per il periodo legale.',
        'Se non sei stato tu, ignora questo messaggio. Il link scade il {expiresAt}.',
      ],
      action: 'Conferma la cancellazione',
    },
    en: {
      subject: 'Confirm the deletion of {organizationName}',
      paragraphs: [
        'You asked to delete the customer account {organizationName}. Its users, invitations, logo and personal data will be removed; invoices are kept for the legal retention period.',
        'If this was not you, ignore this message. The link expires on {expiresAt}.',
      ],
      action: 'Confirm the deletion',
    },
    fr: {
      subject: 'Confirmez la suppression de {organizationName}',
      paragraphs: [
        'Vous avez demandé la suppression du compte client {organizationName}. Utilisateurs, invitations, logo et données personnelles seront supprimés ; les factures sont conservées pendant la durée légale.',
        'Si ce n’était pas vous, ignorez ce message. Le lien expire le {expiresAt}.',
      ],
      action: 'Confirmer la suppression',
    },
    de: {
      subject: 'Bestätigen Sie die Löschung von {organizationName}',
      paragraphs: [
        'Sie haben die Löschung des Kundenkontos {organizationName} verlangt. Benutzer, Einladungen, Logo und Personendaten werden entfernt; Rechnungen werden während der gesetzlichen Frist aufbewahrt.',
        'Falls Sie das nicht waren, ignorieren Sie diese Nachricht. Der Link läuft am {expiresAt} ab.',
      ],
      action: 'Löschung bestätigen',
    },
  },
  accountDeleted: {
    it: {
      subject: 'L’account cliente {organizationName} è stato cancellato',
      paragraphs: [
        'L’account cliente {organizationName} è stato cancellato. Le fatture sono conservate fino al {retainedUntil}.',
      ],
    },
    en: {
      subject: 'The customer account {organizationName} was deleted',
      paragraphs: [
        'The customer account {organizationName} was deleted. Its invoices are kept until {retainedUntil}.',
      ],
    },
    fr: {
      subject: 'Le compte client {organizationName} a été supprimé',
      paragraphs: [
        'Le compte client {organizationName} a été supprimé. Ses factures sont conservées jusqu’au {retainedUntil}.',
      ],
    },
    de: {
      subject: 'Das Kundenkonto {organizationName} wurde gelöscht',
      paragraphs: [
        'Das Kundenkonto {organizationName} wurde gelöscht. Die Rechnungen werden bis {retainedUntil} aufbewahrt.',
      ],
    },
  },
  deletionCancelled: {
    it: {
      subject: 'Cancellazione di {organizationName} annullata',
      paragraphs: ['La cancellazione non è stata eseguita: {reason}'],
    },
    en: {
      subject: 'Deletion of {organizationName} cancelled',
      paragraphs: ['The account was not deleted: {reason}'],
    },
    fr: {
      subject: 'Suppression de {organizationName} annulée',
      paragraphs: ['Le compte n’a pas été supprimé : {reason}'],
    },
    de: {
      subject: 'Löschung von {organizationName} abgebrochen',
      paragraphs: ['Das Konto wurde nicht gelöscht: {reason}'],
    },
  },
} satisfies Record<string, Record<Language, Copy>>;

export type TemplateName = keyof typeof templates;

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function fill(text: string, data: Record<string, string>, encode: (v: string) => string): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = data[name];
    if (value === undefined) throw new Error(`E-mail template value '${name}' is missing`);
    return encode(value);
  });
}

/** Renders a template; `link` is the call to action's target where the template has one. */
export function render(
  name: TemplateName,
  language: Language,
  data: Record<string, string>,
  link?: string,
): RenderedEmail {
  const copy: Copy = templates[name][language];
  const plain = (v: string) => v;
  const subject = fill(copy.subject, data, plain);
  const paragraphs = copy.paragraphs.map((p) => fill(p, data, plain));
  // Line breaks inside a value (a list of products) stay line breaks in HTML.
  const htmlParagraphs = copy.paragraphs.map(
    (p) => `<p>${fill(p, data, (v) => escapeHtml(v).replaceAll('\n', '<br>'))}</p>`,
  );
  if (copy.action && !link) throw new Error(`E-mail template '${name}' needs a link`);
  const text = [...paragraphs, ...(copy.action && link ? [`${copy.action}: ${link}`] : [])].join('\n\n');
  const action =
    copy.action && link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(copy.action)}</a></p>` : '';
  const html = `<!doctype html><html lang="${language}"><body>${htmlParagraphs.join('')}${action}</body></html>`;
  return { subject, text: `${text}\n`, html };
}

/** Dates in e-mails: the day and time in the user's language, Swiss time. */
export function formatDate(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(`${language}-CH`, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Zurich',
  }).format(new Date(iso));
}
