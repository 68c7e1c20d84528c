//! The route table. Every feature lists its routes through `Routes`, which builds the axum
//! router and keeps (method, path) beside it, so the authorisation test can check that every
//! route has its lines in the matrix: a route added without them fails the test.

use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, get, post};

use crate::AppState;

pub struct Routes {
    router: Router<AppState>,
    table: Vec<(&'static str, &'static str)>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

impl Routes {
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    pub fn get<H, T>(self, path: &'static str, h: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("GET", path, get(h))
    }

    pub fn post<H, T>(self, path: &'static str, h: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("POST", path, post(h))
    }

    /// A method router built by hand (for a layer of its own, such as a larger body limit),
    /// listed under `method`. axum merges the methods of one path given in separate calls.
    pub fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        m: MethodRouter<AppState>,
    ) -> Routes {
        self.router = self.router.route(path, m);
        self.table.push((method, path));
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    pub fn table(&self) -> &[(&'static str, &'static str)] {
        &self.table
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}
