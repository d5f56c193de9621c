export { ContactBook, MAX_CONTACTS, LABEL_ID_CHARS, type Contact } from './contact-book.js';
export { loadContacts, saveContacts, CONTACTS_FILE_NAME } from './contact-store.js';
export { resolveRecipient, MIN_PREFIX, type PeerLike } from './resolve-recipient.js';
export { openContacts, type Contacts } from './contacts-service.js';
