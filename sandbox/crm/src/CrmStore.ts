import { SandboxHttpError, keysetPage } from '@bff/sandbox-kit';
import type { CrmActivityRecord, CrmContactRecord, CrmUserRecord, World } from '@bff/sandbox-kit';

export interface NewActivity {
  contactId: string;
  kind: CrmActivityRecord['kind'];
  subject: string;
  occurredAt?: string;
  ownerId?: string;
  phoneNumber?: string;
  durationMinutes?: number;
  toAddress?: string;
  location?: string;
}

const kinds: readonly CrmActivityRecord['kind'][] = ['CALL', 'EMAIL', 'MEETING', 'NOTE'];

/** The CRM's data in memory: contacts, sales users, and each contact's activities, newest first. */
export class CrmStore {
  readonly contacts: CrmContactRecord[];
  private readonly contactById: Map<string, CrmContactRecord>;
  private readonly contactIndex: Map<string, number>;
  private readonly userById: Map<string, CrmUserRecord>;
  private readonly activitiesByContact = new Map<string, CrmActivityRecord[]>();
  private activityCount: number;

  constructor(world: World['crm']) {
    this.contacts = world.contacts.map((c) => ({ ...c }));
    this.contactById = new Map(this.contacts.map((c) => [c.contactId, c]));
    this.contactIndex = new Map(this.contacts.map((c, i) => [c.contactId, i]));
    this.userById = new Map(world.users.map((u) => [u.userId, { ...u }]));
    const newestFirst = world.activities.map((a) => ({ ...a })).reverse();
    for (const activity of newestFirst) {
      const list = this.activitiesByContact.get(activity.contactId);
      if (list) list.push(activity);
      else this.activitiesByContact.set(activity.contactId, [activity]);
    }
    this.activityCount = world.activities.length;
  }

  contact(id: string) {
    return this.contactById.get(id);
  }
  user(id: string) {
    return this.userById.get(id);
  }

  listContacts(
    tier: CrmContactRecord['tier'] | undefined,
    after: string | undefined,
    limit: number,
  ) {
    if (tier === undefined) {
      return keysetPage(
        this.contacts,
        (c) => c.contactId,
        after,
        limit,
        (k) => this.contactIndex.get(k),
      );
    }
    return keysetPage(
      this.contacts.filter((c) => c.tier === tier),
      (c) => c.contactId,
      after,
      limit,
    );
  }

  activitiesOf(contactId: string, after: string | undefined, limit: number) {
    return keysetPage(
      this.activitiesByContact.get(contactId) ?? [],
      (a) => a.activityId,
      after,
      limit,
    );
  }

  recordActivity(input: NewActivity, now: Date = new Date()): CrmActivityRecord {
    const contact =
      typeof input?.contactId === 'string' ? this.contactById.get(input.contactId) : undefined;
    if (!contact)
      throw new SandboxHttpError(404, 'NOT_FOUND', `no contact ${String(input?.contactId)}`);
    if (!kinds.includes(input.kind)) {
      throw new SandboxHttpError(400, 'INVALID_FIELD', `kind must be one of ${kinds.join(', ')}`);
    }
    if (
      typeof input.subject !== 'string' ||
      input.subject.length === 0 ||
      input.subject.length > 500
    ) {
      throw new SandboxHttpError(400, 'INVALID_FIELD', 'subject must be 1 to 500 characters');
    }
    if (input.occurredAt !== undefined && Number.isNaN(Date.parse(input.occurredAt))) {
      throw new SandboxHttpError(400, 'INVALID_FIELD', 'occurredAt must be an ISO 8601 instant');
    }
    if (
      input.durationMinutes !== undefined &&
      (!Number.isInteger(input.durationMinutes) || input.durationMinutes < 0)
    ) {
      throw new SandboxHttpError(
        400,
        'INVALID_FIELD',
        'durationMinutes must be a whole number of minutes',
      );
    }
    const details = Object.fromEntries(
      (['phoneNumber', 'durationMinutes', 'toAddress', 'location'] as const)
        .filter((field) => input[field] !== undefined)
        .map((field) => [field, input[field]]),
    );
    const activity: CrmActivityRecord = {
      activityId: `A${String(++this.activityCount).padStart(7, '0')}`,
      contactId: contact.contactId,
      kind: input.kind,
      subject: input.subject,
      occurredAt: input.occurredAt ?? now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ownerId: input.ownerId ?? contact.ownerId,
      ...details,
    };
    const list = this.activitiesByContact.get(contact.contactId) ?? [];
    list.unshift(activity);
    this.activitiesByContact.set(contact.contactId, list);
    return activity;
  }
}
