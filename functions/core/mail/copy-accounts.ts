import type { Language } from '../entities/user.ts';
import type { Copy } from './copy.ts';

/** The e-mails of logins, accounts and members (R2, R9, R11), in it/en/fr/de. */
export const ACCOUNT_COPY = {
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
} satisfies Record<string, Record<Language, Copy>>;
