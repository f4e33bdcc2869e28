import type { Language } from '../entities/user.ts';
import { formatAmount } from '../formats.ts';
import type { DeletionRequirement } from '../services/deletion-requirements.ts';
import type { Copy } from './copy.ts';

/** The e-mails of renewals and account deletion (R25, R27, R28), in it/en/fr/de. */
export const BILLING_COPY = {
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

/** Why a deletion was cancelled (R27), in the requester's language: one sentence per requirement. */
export function describeRequirements(unmet: DeletionRequirement[], language: Language): string {
  const words = {
    it: {
      products: (names: string) => `disdica prima tutti i prodotti (${names}).`,
      balance: (amount: string) => `prelevi prima il credito prepagato (${amount}).`,
      invoices: (numbers: string) => `paghi prima le fatture aperte (${numbers}).`,
      other: 'un requisito non era più soddisfatto.',
    },
    en: {
      products: (names: string) => `terminate every product first (${names}).`,
      balance: (amount: string) => `withdraw the prepaid balance first (${amount}).`,
      invoices: (numbers: string) => `settle the open invoices first (${numbers}).`,
      other: 'a requirement was no longer met.',
    },
    fr: {
      products: (names: string) => `résiliez d’abord tous les produits (${names}).`,
      balance: (amount: string) => `retirez d’abord le solde prépayé (${amount}).`,
      invoices: (numbers: string) => `réglez d’abord les factures ouvertes (${numbers}).`,
      other: 'une condition n’était plus remplie.',
    },
    de: {
      products: (names: string) => `kündigen Sie zuerst alle Produkte (${names}).`,
      balance: (amount: string) => `lassen Sie sich zuerst das Prepaid-Guthaben auszahlen (${amount}).`,
      invoices: (numbers: string) => `begleichen Sie zuerst die offenen Rechnungen (${numbers}).`,
      other: 'eine Voraussetzung war nicht mehr erfüllt.',
    },
  }[language];
  const sentences = unmet.map((u) => {
    if (u.code === 'products-not-terminated') return words.products(u.products.join(', '));
    if (u.code === 'prepaid-balance') return words.balance(formatAmount(u.amount, u.currency, language));
    return words.invoices(u.invoices.join(', '));
  });
  return sentences.length ? sentences.join(' ') : words.other;
}
