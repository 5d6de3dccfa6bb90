import { lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';
import { Layout } from '../components/Layout.tsx';
import { LoginPage } from '../routes/auth/LoginPage.tsx';
import { SetupPage } from '../routes/auth/SetupPage.tsx';
import { RequireAuth, RequirePermission } from './guards.tsx';
import { SessionProvider } from './session.tsx';

// Only login and setup ship in the first download; every other page is its own chunk.
const HomePage = lazy(() => import('../routes/home/HomePage.tsx'));
const UsersPage = lazy(() => import('../routes/users/UsersPage.tsx'));
const UserCreatePage = lazy(() => import('../routes/users/UserCreatePage.tsx'));
const UserDetailPage = lazy(() => import('../routes/users/UserDetailPage.tsx'));
const RegionsPage = lazy(() => import('../routes/regions/RegionsPage.tsx'));
const RegisterPage = lazy(() => import('../routes/register/RegisterPage.tsx'));
const CommunityRegisterPage = lazy(() => import('../routes/register/CommunityRegisterPage.tsx'));
const OwnDataPage = lazy(() => import('../routes/self/OwnDataPage.tsx'));
const UpdateLinkPage = lazy(() => import('../routes/self/UpdateLinkPage.tsx'));
const StatsPage = lazy(() => import('../routes/dashboard/StatsPage.tsx'));
const MembersPage = lazy(() => import('../routes/registry/MembersPage.tsx'));
const CommunitiesPage = lazy(() => import('../routes/registry/MembersPage.tsx').then((m) => ({ default: m.CommunitiesPage })));
const MemberDetailPage = lazy(() => import('../routes/registry/MemberDetailPage.tsx'));
const CommunityDetailPage = lazy(() => import('../routes/registry/CommunityDetailPage.tsx'));
const CampaignsPage = lazy(() => import('../routes/campaigns/CampaignsPage.tsx'));
const ImportPage = lazy(() => import('../routes/import/ImportPage.tsx'));
const ImportBatchPage = lazy(() => import('../routes/import/ImportBatchPage.tsx'));
const ChaptersPage = lazy(() => import('../routes/chapters/ChaptersPage.tsx'));
const ChapterCreatePage = lazy(() => import('../routes/chapters/ChapterCreatePage.tsx'));
const PartnersPage = lazy(() => import('../routes/partners/PartnersPage.tsx'));
const PartnerCreatePage = lazy(() => import('../routes/partners/PartnerCreatePage.tsx'));
const PartnerDetailPage = lazy(() => import('../routes/partners/PartnerDetailPage.tsx'));
const BeneficiariesPage = lazy(() => import('../routes/beneficiaries/BeneficiariesPage.tsx'));
const BeneficiaryPersonPage = lazy(() => import('../routes/beneficiaries/PersonPage.tsx'));
const DuplicatesPage = lazy(() => import('../routes/beneficiaries/DuplicatesPage.tsx'));
const DuplicatePage = lazy(() => import('../routes/beneficiaries/DuplicatePage.tsx'));
const BeneficiaryImportPage = lazy(() => import('../routes/beneficiaries/ImportPage.tsx'));
const DedupRunsPage = lazy(() => import('../routes/beneficiaries/DedupRunsPage.tsx'));
const DistributionPage = lazy(() => import('../routes/beneficiaries/DistributionPage.tsx'));
const OverlapCheckPage = lazy(() => import('../routes/beneficiaries/OverlapCheckPage.tsx'));
const NotFoundPage = lazy(() => import('../routes/errors/NotFoundPage.tsx'));

export function App() {
  return (
    <ErrorBoundary>
      <SessionProvider>
        <BrowserRouter>
          <Routes>
            <Route element={<Layout />}>
              <Route path="/siapkan" element={<SetupPage />} />
              <Route path="/masuk" element={<LoginPage />} />
              <Route path="/daftar" element={<RegisterPage />} />
              <Route path="/daftar/komunitas" element={<CommunityRegisterPage />} />
              <Route path="/perbarui/:token" element={<UpdateLinkPage />} />
              {/* Handles its own login redirect: the page must outlive the session it deletes. */}
              <Route path="/data-saya" element={<OwnDataPage />} />
              <Route path="/statistik" element={<StatsPage />} />
              <Route element={<RequireAuth />}>
                <Route index element={<HomePage />} />
                <Route
                  path="/pengguna"
                  element={
                    <RequirePermission permission="users.read">
                      <UsersPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/pengguna/baru"
                  element={
                    <RequirePermission permission="users.manage">
                      <UserCreatePage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/pengguna/:id"
                  element={
                    <RequirePermission permission="users.read">
                      <UserDetailPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/anggota"
                  element={
                    <RequirePermission permission="registry.read">
                      <MembersPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/anggota/:id"
                  element={
                    <RequirePermission permission="registry.read">
                      <MemberDetailPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/komunitas"
                  element={
                    <RequirePermission permission="registry.read">
                      <CommunitiesPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/impor"
                  element={
                    <RequirePermission permission="registry.manage">
                      <ImportPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/impor/:id"
                  element={
                    <RequirePermission permission="registry.manage">
                      <ImportBatchPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/komunitas/:id"
                  element={
                    <RequirePermission permission="registry.read">
                      <CommunityDetailPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/kampanye"
                  element={
                    <RequirePermission permission="registry.manage">
                      <CampaignsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/chapter"
                  element={
                    <RequirePermission permission="registry.read">
                      <ChaptersPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/chapter/baru"
                  element={
                    <RequirePermission permission="registry.manage">
                      <ChapterCreatePage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/mitra"
                  element={
                    <RequirePermission permission="registry.read">
                      <PartnersPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/mitra/baru"
                  element={
                    <RequirePermission permission="partners.manage">
                      <PartnerCreatePage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/mitra/:id"
                  element={
                    <RequirePermission permission="registry.read">
                      <PartnerDetailPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/penerima"
                  element={
                    <RequirePermission permission="beneficiaries.read">
                      <BeneficiariesPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/penerima/orang/:id"
                  element={
                    <RequirePermission permission="beneficiaries.read">
                      <BeneficiaryPersonPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/penerima/duplikat"
                  element={
                    <RequirePermission permission="beneficiaries.read">
                      <DuplicatesPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/penerima/impor"
                  element={
                    <RequirePermission permission="beneficiaries.manage">
                      <BeneficiaryImportPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/penerima/proses"
                  element={
                    <RequirePermission permission="beneficiaries.read">
                      <DedupRunsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/penerima/penyaluran"
                  element={
                    <RequirePermission permission="beneficiaries.read">
                      <DistributionPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/penerima/tumpang-tindih"
                  element={
                    <RequirePermission permission="beneficiaries.read">
                      <OverlapCheckPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="/penerima/duplikat/:id"
                  element={
                    <RequirePermission permission="beneficiaries.read">
                      <DuplicatePage />
                    </RequirePermission>
                  }
                />
                <Route path="/wilayah" element={<RegionsPage />} />
                <Route path="/wilayah/:code" element={<RegionsPage />} />
              </Route>
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </ErrorBoundary>
  );
}
