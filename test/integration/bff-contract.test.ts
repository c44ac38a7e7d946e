import { request } from 'undici';

import { defineBffContract } from '../contract/bffContract.js';

// One contract, run against both BFFs: they differ in how a user signs in
// (the mobile app sends its bearer token on every request; the web app trades
// it for a session cookie once) and in their screens, not in how they behave.

defineBffContract({
  name: 'bff-mobile',
  orderScreen: (id) => `/m/v1/orders/${id}`,
  malformedScreen: '/m/v1/orders/not%20an%20id',
  publicScreen: '/m/v1/products/SKU-10001',
  signIn: async (_bffUrl, token) => ({
    ok: true,
    headers: { authorization: `Bearer ${token}` },
  }),
});

defineBffContract({
  name: 'bff-web',
  orderScreen: (id) => `/pages/orders/${id}`,
  malformedScreen: '/pages/orders/not%20an%20id',
  publicScreen: '/pages/products?search=chair',
  signIn: async (bffUrl, token) => {
    const response = await request(`${bffUrl}/session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await response.body.text();
    if (response.statusCode !== 201) {
      return {
        ok: false,
        answer: {
          status: response.statusCode,
          headers: response.headers,
          body: JSON.parse(text) as Record<string, unknown>,
        },
      };
    }
    const cookie = [response.headers['set-cookie']].flat()[0]?.split(';')[0];
    if (!cookie) throw new Error('bff-web signed in without a cookie');
    return { ok: true, headers: { cookie } };
  },
});
