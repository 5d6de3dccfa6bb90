import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../format.ts';
import type { OwnMember } from './member.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/selfService.ts';

addStrings(strings);

/** A member's current data as a definition list (the server's masking kept as it is). */
export function MemberFacts({ member: m, nameOf }: { member: OwnMember; nameOf: (code: string) => string }) {
  const { t, i18n } = useTranslation();
  const none = t('common.none');
  const rows: [string, ReactNode][] = [
    [t('selfForm.fullName'), m.fullName],
    [t('selfForm.phone'), m.phone ?? none],
    [t('selfForm.email'), m.email ?? none],
    [t('selfForm.gender'), m.gender ? t(`selfForm.gender${m.gender}`) : none],
    [t('selfForm.birthDate'), m.birthDate ? formatDate(m.birthDate, i18n.language) : none],
    [t('selfForm.regency'), m.regency.name ?? m.regency.code],
    [t('selfForm.district'), m.district ? (m.district.name ?? m.district.code) : none],
    [t('selfForm.subsectors'), m.subsectors.length ? m.subsectors.map(nameOf).join(', ') : none],
    [t('selfForm.skills'), m.skills.length ? m.skills.join(', ') : none],
    [
      t('selfForm.links'),
      m.portfolioLinks.length ? (
        m.portfolioLinks.map((l) => (
          <span key={l} className="fact-line">
            {l}
          </span>
        ))
      ) : (
        none
      ),
    ],
  ];
  if (m.nik) rows.splice(1, 0, [t('selfForm.nik'), m.nik]);
  if (m.communities.length) rows.push([t('selfForm.communities'), m.communities.map((c) => c.name).join(', ')]);
  rows.push([t('selfForm.status'), t(`selfForm.statuses.${m.status}`)]);
  rows.push([t('selfForm.verifiedAt'), m.verifiedAt ? formatDate(m.verifiedAt, i18n.language) : t('selfForm.notYet')]);
  return (
    <dl className="facts self-facts">
      {rows.map(([label, value]) => (
        <Fragment key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
