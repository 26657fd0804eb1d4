// Where the console finds the module. The defaults match conf/devplat.conf
// and the quick start; a site that mounts the admin face elsewhere serves
// its own copy of this file (see the README, "The admin console").
export default Object.freeze({
    api: '/admin/api',          // DevplatApi admin
    storage: '/storage',        // DevplatStorageURL: the only source of pictures
    logout: '/api/logout',      // DevplatApi developer: ends the session on the server ('' to skip)
});
